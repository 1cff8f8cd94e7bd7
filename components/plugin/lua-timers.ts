import type { Chunk, Expression, Identifier, IndexExpression, MemberExpression, Node, Statement } from "luaparse";

/** A timer use in a chunk: the node it is located at and the expression it resolves to. */
export interface TimerUseNode {
  readonly node: Node;
  /** Resolved through local aliases, e.g. `ngx.timer.at` for `timer_at(0, f)`. */
  readonly expression: string;
}

/**
 * Functions that create a timer, by the name they resolve to:
 * - `ngx.timer.at` and `ngx.timer.every` (lua-nginx-module, README.markdown); its
 *   `ngx.timer.pending_count` and `ngx.timer.running_count` only count timers;
 * - `kong.timer`'s `named_at`, `named_every`, `at` and `every`: Kong sets `kong.timer` to its
 *   lua-resty-timer-ng instance in init_worker (Kong/kong kong/init.lua), and
 *   Kong/lua-resty-timer-ng lib/resty/timerng/init.lua defines them;
 * - `enqueue` of Kong's queue, which starts the queue's timer with `kong.timer:named_at`
 *   (Kong/kong kong/tools/queue.lua, get_or_create_queue). Kong's own plugins call it as
 *   `Queue.enqueue(...)` after `local Queue = require "kong.tools.queue"`
 *   (kong/plugins/http-log/handler.lua, kong/plugins/datadog/handler.lua).
 */
const TIMER_FUNCTION = /^(?:ngx\.timer\.(?:at|every)|kong\.timer[.:](?:named_at|named_every|at|every)|kong\.tools\.queue[.:]enqueue)$/;

/** Values that hold those functions: where one escapes, a timer may be created out of sight. */
const TIMER_HOLDERS = new Set(["ngx.timer", "kong.timer", "kong.tools.queue"]);

function isTimerValue(name: string | undefined): name is string {
  return name !== undefined && (TIMER_FUNCTION.test(name) || TIMER_HOLDERS.has(name));
}

/** A local (or a global the chunk assigns) and what it was last bound to, in source order. */
interface Binding {
  value: string | undefined;
  /** Where timer values were bound to it: counted there if the name is never read. */
  readonly sites: TimerUseNode[];
  read: boolean;
}

/** Work for the scan: a node to visit, or a scope change between nodes. */
type Task = Statement | Expression | (() => void);

/**
 * Every timer use in a chunk: each call of a timer function (through aliases such as
 * `local timer_at = ngx.timer.at` or `local Queue = require "kong.tools.queue"`), each timer
 * function or holder that escapes as a value (passed, stored, returned), and each alias of one
 * that is never read. Aliases follow Lua's scoping; an assignment rebinds in source order.
 */
export function timerUses(chunk: Chunk): TimerUseNode[] {
  return new TimerScan().run(chunk);
}

class TimerScan {
  private readonly uses: TimerUseNode[] = [];
  private readonly bindings: Binding[] = [];
  /** Innermost last; the first holds the globals the chunk assigns. */
  private readonly scopes: Map<string, Binding>[] = [new Map()];

  run(chunk: Chunk): TimerUseNode[] {
    // An explicit stack: a 5,000-term expression nests deeper than recursion allows.
    const pending: Task[] = [];
    const schedule = (tasks: Task[]): void => {
      // Pushed in reverse, so tasks run in the order they were listed.
      for (let index = tasks.length - 1; index >= 0; index -= 1) pending.push(tasks[index] as Task);
    };
    const first: Task[] = [];
    this.block(chunk.body, first);
    schedule(first);
    while (pending.length > 0) {
      const task = pending.pop() as Task;
      if (typeof task === "function") {
        task();
        continue;
      }
      const next: Task[] = [];
      this.visit(task, next);
      schedule(next);
    }
    for (const binding of this.bindings) if (!binding.read) this.uses.push(...binding.sites);
    return this.uses;
  }

  /** Lists in `out` what visiting `node` takes, in source order. */
  private visit(node: Statement | Expression, out: Task[]): void {
    switch (node.type) {
      case "LocalStatement": {
        // A value bound to a name is followed through the name rather than counted here.
        const values = node.variables.map((_, index) => this.boundValue(node.init[index], out));
        for (const extra of node.init.slice(node.variables.length)) this.read(extra, out);
        out.push(() => node.variables.forEach((variable, index) => this.declare(variable.name, values[index], node.init[index])));
        return;
      }
      case "AssignmentStatement": {
        const values = node.variables.map((variable, index) => {
          const init = node.init[index];
          if (variable.type === "Identifier") return this.boundValue(init, out);
          this.name(variable, out);
          if (init) this.read(init, out);
          return undefined;
        });
        for (const extra of node.init.slice(node.variables.length)) this.read(extra, out);
        out.push(() =>
          node.variables.forEach((variable, index) => {
            if (variable.type === "Identifier") this.assign(variable.name, values[index], node.init[index]);
          }),
        );
        return;
      }
      case "FunctionDeclaration": {
        const id = node.identifier;
        if (id?.type === "Identifier" && node.isLocal) out.push(() => this.declare(id.name, undefined));
        if (id?.type === "Identifier" && !node.isLocal) out.push(() => this.assign(id.name, undefined));
        if (id?.type === "MemberExpression") this.name(id, out);
        const parameters = node.parameters.filter((parameter): parameter is Identifier => parameter.type === "Identifier").map((parameter) => parameter.name);
        if (id?.type === "MemberExpression" && id.indexer === ":") parameters.push("self");
        this.block(node.body, out, parameters);
        return;
      }
      case "CallStatement":
        out.push(node.expression);
        return;
      case "ReturnStatement":
        for (const argument of node.arguments) this.read(argument, out);
        return;
      case "IfStatement":
        for (const clause of node.clauses) {
          if (clause.type !== "ElseClause") out.push(clause.condition);
          this.block(clause.body, out);
        }
        return;
      case "WhileStatement":
        out.push(node.condition);
        this.block(node.body, out);
        return;
      case "DoStatement":
        this.block(node.body, out);
        return;
      case "RepeatStatement":
        // `until` sees the loop body's locals.
        this.block([...node.body, node.condition], out);
        return;
      case "ForNumericStatement":
        out.push(node.start, node.end, ...(node.step ? [node.step] : []));
        this.block(node.body, out, [node.variable.name]);
        return;
      case "ForGenericStatement":
        out.push(...node.iterators);
        this.block(node.body, out, node.variables.map((variable) => variable.name));
        return;
      case "Identifier":
      case "MemberExpression":
      case "IndexExpression":
        this.read(node, out);
        return;
      case "CallExpression":
      case "StringCallExpression":
      case "TableCallExpression": {
        const callee = this.name(node.base, out);
        if (callee !== undefined && TIMER_FUNCTION.test(callee)) this.uses.push({ node, expression: callee });
        if (node.type === "CallExpression") out.push(...node.arguments);
        else out.push(node.type === "StringCallExpression" ? node.argument : node.arguments);
        return;
      }
      case "TableConstructorExpression":
        for (const field of node.fields) {
          if (field.type === "TableKey") out.push(field.key);
          out.push(field.value);
        }
        return;
      case "BinaryExpression":
      case "LogicalExpression":
        out.push(node.left, node.right);
        return;
      case "UnaryExpression":
        out.push(node.argument);
        return;
      case "LabelStatement":
      case "GotoStatement":
      case "BreakStatement":
      case "StringLiteral":
      case "NumericLiteral":
      case "BooleanLiteral":
      case "NilLiteral":
      case "VarargLiteral":
        return;
      default: {
        const unhandled: never = node;
        throw new Error(`unhandled Lua syntax node ${(unhandled as Node).type}`);
      }
    }
  }

  /** A block's statements in a scope of their own, which first declares `locals`. */
  private block(body: readonly (Statement | Expression)[], out: Task[], locals: readonly string[] = []): void {
    out.push(() => {
      this.scopes.push(new Map());
      for (const name of locals) this.declare(name, undefined);
    });
    out.push(...body, () => this.scopes.pop());
  }

  /** A value that escapes (passed, stored, returned, operated on): a use if it holds a timer. */
  private read(expression: Expression, out: Task[]): void {
    const name = this.name(expression, out);
    if (isTimerValue(name)) this.uses.push({ node: expression, expression: name });
  }

  /** What a name is bound to: the initializer's dotted name; nothing for a missing one. */
  private boundValue(init: Expression | undefined, out: Task[]): string | undefined {
    return init ? this.name(init, out) : undefined;
  }

  /**
   * The dotted name an expression resolves to (`ngx.timer.at`, `kong.timer:named_at`,
   * `kong.tools.queue` for `require "kong.tools.queue"`), or undefined for anything computed.
   * Lists in `out` the parts that still need a visit (a call at the root, computed keys).
   */
  private name(expression: Expression, out: Task[]): string | undefined {
    const links: (MemberExpression | IndexExpression)[] = [];
    let root = expression;
    while (root.type === "MemberExpression" || root.type === "IndexExpression") {
      links.push(root);
      root = root.base;
    }
    let name = this.rootName(root, out);
    for (let index = links.length - 1; index >= 0; index -= 1) {
      const link = links[index];
      if (link.type === "MemberExpression") {
        name = name === undefined ? undefined : `${name}${link.indexer}${link.identifier.name}`;
      } else if (link.index.type === "StringLiteral") {
        // The parser's latin1 string: the same text for the ASCII names this scan looks for.
        name = name === undefined ? undefined : `${name}.${link.index.value}`;
      } else {
        // A computed key can select any member: a timer holder indexed so escapes.
        if (isTimerValue(name)) this.uses.push({ node: link.base, expression: name });
        out.push(link.index);
        name = undefined;
      }
    }
    return name;
  }

  private rootName(root: Expression, out: Task[]): string | undefined {
    if (root.type === "Identifier") {
      const binding = this.lookup(root.name);
      if (!binding) return root.name;
      binding.read = true;
      return binding.value;
    }
    out.push(root);
    if ((root.type === "CallExpression" || root.type === "StringCallExpression") && root.base.type === "Identifier" && this.rootName(root.base, out) === "require") {
      const argument = root.type === "CallExpression" ? root.arguments[0] : root.argument;
      // The parser's latin1 string: the same text for the ASCII names this scan looks for.
      if (argument?.type === "StringLiteral") return argument.value;
    }
    return undefined;
  }

  private lookup(name: string): Binding | undefined {
    for (let index = this.scopes.length - 1; index >= 0; index -= 1) {
      const binding = this.scopes[index].get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  private declare(name: string, value: string | undefined, site?: Expression): void {
    const binding: Binding = { value, sites: [], read: false };
    this.bind(binding, value, site);
    this.scopes[this.scopes.length - 1].set(name, binding);
    this.bindings.push(binding);
  }

  /** An assignment: rebinds the visible local, or the global of that name. */
  private assign(name: string, value: string | undefined, site?: Expression): void {
    let binding = this.lookup(name);
    if (!binding) {
      binding = { value, sites: [], read: false };
      this.scopes[0].set(name, binding);
      this.bindings.push(binding);
    }
    this.bind(binding, value, site);
  }

  private bind(binding: Binding, value: string | undefined, site: Expression | undefined): void {
    binding.value = value;
    if (site && isTimerValue(value)) binding.sites.push({ node: site, expression: value });
  }
}
