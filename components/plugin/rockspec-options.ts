/** LuaRocks metadata for a plugin's rockspec. Every field is optional. */
export interface RockspecOptions {
  /**
   * One-line description (`description.summary`).
   * @default - "Kong Gateway plugin <name>"
   */
  readonly summary?: string;
  /**
   * Longer description (`description.detailed`).
   * @default - omitted
   */
  readonly detailed?: string;
  /**
   * Project home page (`description.homepage`), an http(s) URL.
   * @default - omitted
   */
  readonly homepage?: string;
  /**
   * License (`description.license`), an SPDX identifier such as `Apache-2.0`. LuaRocks
   * requires one; without it nothing is granted, which npm spells `UNLICENSED`.
   * @default "UNLICENSED"
   */
  readonly license?: string;
  /**
   * Maintainer, e.g. `Platform Team <platform@example.com>` (`description.maintainer`).
   * @default - omitted
   */
  readonly maintainer?: string;
  /**
   * Where LuaRocks fetches the source (`source.url`).
   * @default - the plugin's own archive, `<name>-<version>.tar.gz`, next to the rockspec
   */
  readonly sourceUrl?: string;
  /**
   * LuaRocks dependencies, e.g. `["lua-resty-http >= 0.17"]`. Kong's own modules are
   * provided by Kong and are not listed.
   * @default []
   */
  readonly dependencies?: string[];
}
