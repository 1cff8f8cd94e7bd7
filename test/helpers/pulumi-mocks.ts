import * as pulumi from "@pulumi/pulumi";

/** A resource the mocked engine saw registered. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The provider reference (`<provider urn>::<id>`), when one was given. */
  readonly provider?: string;
}

/**
 * Installs Pulumi's mocks (no CLI, no engine): custom resources echo their inputs as state.
 * Component resources are not reported to `newResource`; their outputs are read directly.
 */
export function installMocks(): RegisteredResource[] {
  const registered: RegisteredResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, ...(args.provider ? { provider: args.provider } : {}) });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "kong-plugins-test",
    "test",
    false,
  );
  return registered;
}

/**
 * Records, for every resource registered from now on, the URNs it depends on. The SDK's mock
 * monitor does not pass dependencies to the mocks, so this wraps the monitor's registration.
 */
export function recordDependencies(): Map<string, string[]> {
  const dependencies = new Map<string, string[]>();
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (request: { getName(): string; getDependenciesList(): string[] }, callback: unknown) => unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    dependencies.set(request.getName(), request.getDependenciesList());
    return register(request, callback);
  };
  return dependencies;
}

/** The value of an output (rejects when the output's computation failed). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}
