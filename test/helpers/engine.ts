// A small Pulumi engine for provider tests: the Engine service (logs) and a resource monitor
// that records what a provider registers, both on 127.0.0.1, plus a client for the provider.
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as providerrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerpb from "@pulumi/pulumi/proto/provider_pb";
import * as resourcerpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourcepb from "@pulumi/pulumi/proto/resource_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** A resource the monitor was asked to register. */
export interface MonitoredResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  /** What `registerResourceOutputs` reported, for components. */
  outputs?: Record<string, unknown>;
}

/** Features the monitor says it supports; the SDK asks before using each. */
const FEATURES = new Set(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs"]);

export const PROJECT = "kong-plugins-provider-test";
export const STACK = "test";

/** The engine and monitor, listening on 127.0.0.1 until `stop`. */
export class TestEngine {
  readonly resources: MonitoredResource[] = [];
  readonly logs: string[] = [];
  private readonly server = new grpc.Server();
  private port = 0;

  async start(): Promise<this> {
    this.server.addService(enginerpc.EngineService, {
      log: (call: grpc.ServerUnaryCall<enginepb.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
        this.logs.push(call.request.getMessage());
        callback(null, new Empty());
      },
      getRootResource: (_call: unknown, callback: grpc.sendUnaryData<enginepb.GetRootResourceResponse>) => callback(null, new enginepb.GetRootResourceResponse()),
      setRootResource: (_call: unknown, callback: grpc.sendUnaryData<enginepb.SetRootResourceResponse>) => callback(null, new enginepb.SetRootResourceResponse()),
    });
    this.server.addService(resourcerpc.ResourceMonitorService, {
      supportsFeature: (call: grpc.ServerUnaryCall<resourcepb.SupportsFeatureRequest, resourcepb.SupportsFeatureResponse>, callback: grpc.sendUnaryData<resourcepb.SupportsFeatureResponse>) => {
        callback(null, new resourcepb.SupportsFeatureResponse().setHassupport(FEATURES.has(call.request.getId())));
      },
      registerResource: (call: grpc.ServerUnaryCall<resourcepb.RegisterResourceRequest, resourcepb.RegisterResourceResponse>, callback: grpc.sendUnaryData<resourcepb.RegisterResourceResponse>) => {
        const request = call.request;
        const urn = this.urnOf(request.getType(), request.getName(), request.getParent());
        const inputs = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        this.resources.push({ urn, type: request.getType(), name: request.getName(), parent: request.getParent(), custom: request.getCustom(), inputs });
        const response = new resourcepb.RegisterResourceResponse().setUrn(urn);
        // Custom resources echo their inputs as their state, as Pulumi's mocks do.
        if (request.getCustom()) response.setId(`${request.getName()}-id`).setObject(Struct.fromJavaScript(inputs as never));
        callback(null, response);
      },
      registerResourceOutputs: (call: grpc.ServerUnaryCall<resourcepb.RegisterResourceOutputsRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
        const resource = this.resources.find((candidate) => candidate.urn === call.request.getUrn());
        if (resource) resource.outputs = (call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        callback(null, new Empty());
      },
      signalAndWaitForShutdown: (_call: unknown, callback: grpc.sendUnaryData<Empty>) => callback(null, new Empty()),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    return this;
  }

  /** Address of both services, as the engine passes it to a provider. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The resources registered as children of `parentUrn`, in registration order. */
  childrenOf(parentUrn: string): MonitoredResource[] {
    return this.resources.filter((resource) => resource.parent === parentUrn);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }

  /** A URN the way the engine forms it: the parent's type chain, `$`, this type. */
  private urnOf(type: string, name: string, parentUrn: string): string {
    const parentTypes = parentUrn ? (parentUrn.split("::")[2] as string) : "";
    const qualified = parentTypes && !parentTypes.startsWith("pulumi:pulumi:Stack") ? `${parentTypes}$${type}` : type;
    return `urn:pulumi:${STACK}::${PROJECT}::${qualified}::${name}`;
  }
}

/** A provider plugin started as its own process, and a gRPC client to it. */
export class ProviderProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly client: providerrpc.ResourceProviderClient,
    readonly stderr: () => string,
  ) {}

  /**
   * Starts `node <nodeArgs...> <engine>` and connects once it prints its port, as the engine
   * does with a plugin.
   */
  static async start(nodeArgs: readonly string[], engineAddress: string, cwd: string): Promise<ProviderProcess> {
    const child = spawn(process.execPath, [...nodeArgs, engineAddress], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split("\n")[0] ?? "";
        if (stdout.includes("\n")) resolve(line.trim());
      });
      child.on("exit", (code) => reject(new Error(`the provider exited with ${code} before printing its port:\n${stderr}`)));
    });
    const client = new providerrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderProcess(child, client, () => stderr);
  }

  getSchema(): Promise<string> {
    return new Promise((resolve, reject) =>
      this.client.getSchema(new providerpb.GetSchemaRequest().setVersion(0), (error, response) => (error ? reject(error) : resolve(response.getSchema()))),
    );
  }

  /** Constructs one component; resolves with its URN and state as JSON (secrets in Pulumi's wire form). */
  construct(engine: TestEngine, type: string, name: string, inputs: Record<string, unknown>): Promise<{ urn: string; state: Record<string, unknown> }> {
    const request = new providerpb.ConstructRequest()
      .setProject(PROJECT)
      .setStack(STACK)
      .setParallel(1)
      .setMonitorendpoint(engine.address)
      .setType(type)
      .setName(name)
      .setInputs(Struct.fromJavaScript(inputs as never));
    return new Promise((resolve, reject) =>
      this.client.construct(request, (error, response) =>
        error ? reject(new Error(`${error.message}\n${this.stderr()}`)) : resolve({ urn: response.getUrn(), state: (response.getState()?.toJavaScript() ?? {}) as Record<string, unknown> }),
      ),
    );
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }
}
