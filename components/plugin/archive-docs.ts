import type { ResolvedPlugin } from "./model";

/** INSTALL.txt of the source archive: every documented way to install and enable the plugin. */
export function renderInstallText(plugin: ResolvedPlugin, rockspecFileName: string): string {
  const { name, version } = plugin;
  const lines = [
    `Installing the Kong Gateway plugin ${name} ${version}`,
    "",
    "On every Kong node, install the files in one of these ways:",
    "",
    "1. With LuaRocks, from this folder:",
    `     luarocks make ${rockspecFileName}`,
    "",
    "2. By copying the plugin folder onto Kong's default Lua path:",
    `     cp -r kong/plugins/${name} /usr/local/share/lua/5.1/kong/plugins/${name}`,
    "",
    "3. By pointing Kong at this folder (the one that contains kong/):",
    "     KONG_LUA_PACKAGE_PATH=/path/to/this/folder/?.lua;;",
    "",
    "Then enable it on every node, in kong.conf (plugins = bundled," + name + ") or with",
    `     KONG_PLUGINS=bundled,${name}`,
    "and restart Kong, or run: kong prepare && kong reload",
    "",
    "With KONG_LOG_LEVEL=debug, Kong logs 'Loading plugin: " + name + "' when it finds the plugin.",
  ];
  if (plugin.requiresDatabase) {
    lines.push(
      "",
      "This plugin defines database entities (daos.lua). On PostgreSQL, run",
      "     kong migrations up && kong migrations finish",
      "before starting Kong with it. In DB-less mode Kong loads them too: its entities are then",
      "declared in the declarative configuration (kong.yaml), and cannot be written at run time.",
    );
  }
  lines.push(
    "",
    "To remove it: take it off every service, route, consumer and global configuration;",
    "then remove it from KONG_PLUGINS and restart; then delete its files",
    `(luarocks remove kong-plugin-${name}).`,
  );
  return `${lines.join("\n")}\n`;
}

/** README.md of the source archive: what the plugin is and what it is made of. */
export function renderArchiveReadme(plugin: ResolvedPlugin): string {
  const lines = [
    `# ${plugin.name} ${plugin.version}`,
    "",
    plugin.rockspec.summary,
    "",
    `- Type: ${plugin.type}`,
    `- Phases: ${plugin.phases.length > 0 ? plugin.phases.join(", ") : "(none)"}`,
    `- Priority: ${plugin.priority ?? "(not a literal)"}`,
    `- Needs a database: ${plugin.requiresDatabase ? "yes" : "no"}`,
    `- Content digest: ${plugin.digest}`,
    "",
    "## Files",
    "",
    ...plugin.files.map((file) => `- kong/plugins/${plugin.name}/${file.path}`),
  ];
  const properties = plugin.configSchema?.properties;
  if (properties && typeof properties === "object") {
    lines.push("", "## Configuration", "");
    for (const [key, schema] of Object.entries(properties as Record<string, Record<string, unknown>>)) {
      const facts = [schema.type, schema.enum ? `one of ${(schema.enum as unknown[]).join(", ")}` : undefined]
        .filter((fact) => fact !== undefined)
        .join(", ");
      lines.push(`- \`${key}\`${facts ? `: ${facts}` : ""}`);
    }
  }
  lines.push("", "See INSTALL.txt to install it.");
  return `${lines.join("\n")}\n`;
}
