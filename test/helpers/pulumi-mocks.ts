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

/** A resource registration as the monitor received it, in the order of the calls. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  /** The parent's URN (empty for the stack itself). */
  readonly parent: string;
  /** The URN the monitor gave it, once it answered. */
  urn?: string;
}

/** Records every registration from now on, with its parent and URN (the mocks see neither). */
export function recordRegistrations(): Registration[] {
  const registrations: Registration[] = [];
  type Request = { getType(): string; getName(): string; getParent(): string };
  type Callback = (error: unknown, response?: { getUrn(): string }) => void;
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (request: Request, callback: Callback) => unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const registration: Registration = { type: request.getType(), name: request.getName(), parent: request.getParent() };
    registrations.push(registration);
    return register(request, (error, response) => {
      if (response) registration.urn = response.getUrn();
      callback(error, response);
    });
  };
  return registrations;
}

/**
 * Waits until no more resources register. Components register some children inside an
 * `apply` (once names are known), so a test waits for those the way the engine does.
 */
export async function settled(registrations: readonly unknown[]): Promise<void> {
  let count = -1;
  while (count !== registrations.length) {
    count = registrations.length;
    for (let turn = 0; turn < 50; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  }
}
