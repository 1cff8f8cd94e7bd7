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
  /** The URNs it depends on. */
  readonly dependencies: readonly string[];
  /**
   * Its inputs as the engine receives them, each secret marked where it is (the mocks'
   * `newResource` sees them with a nested secret lifted to its top-level input).
   */
  readonly inputs: Record<string, unknown>;
  /** The outputs it asked the engine to keep secret. */
  readonly additionalSecretOutputs: readonly string[];
  /** The URN the monitor gave it, once it answered. */
  urn?: string;
}

/**
 * Records every registration from now on, with its parent, dependencies and URN: the SDK's
 * mock monitor passes none of them to the mocks, so this wraps the monitor's registration.
 */
export function recordRegistrations(): Registration[] {
  const registrations: Registration[] = [];
  type Request = { getType(): string; getName(): string; getParent(): string; getDependenciesList(): string[]; getObject(): { toJavaScript(): Record<string, unknown> } | undefined; getAdditionalsecretoutputsList(): string[] };
  type Callback = (error: unknown, response?: { getUrn(): string }) => void;
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (request: Request, callback: Callback) => unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const registration: Registration = {
      type: request.getType(),
      name: request.getName(),
      parent: request.getParent(),
      dependencies: request.getDependenciesList(),
      inputs: request.getObject()?.toJavaScript() ?? {},
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
    };
    registrations.push(registration);
    return register(request, (error, response) => {
      if (response) registration.urn = response.getUrn();
      callback(error, response);
    });
  };
  return registrations;
}

export { settle as settled } from "../../cli/run-program";
