/**
 * The Lua that runs first in every sandbox, before any plugin file. The VM is Lua 5.4
 * (wasmoon); Kong runs LuaJIT 2.1, which is Lua 5.1 with extensions. This prelude:
 * - brings back the Lua 5.1/LuaJIT functions plugin files call at load time (unpack,
 *   loadstring, setfenv/getfenv, table.getn/maxn, math.pow/mod, bit, table.new/clear);
 * - removes or fences what a sandbox must not offer: io, os (but `os.time`/`os.getenv`),
 *   debug, file loading, bytecode, `string.dump`, randomness, `collectgarbage`;
 * - keeps fatal errors fatal: the instruction budget, the memory cap and a fenced API cannot
 *   be swallowed by `pcall`, `xpcall` or `coroutine.resume`;
 * - exchanges values with JavaScript only as JSON text (sorted keys, functions as handles),
 *   so results do not depend on `pairs` order or on wasmoon's marshalling.
 *
 * Host functions it takes from globals (and removes): `__kp_resolve(name, callerChunk)` returns
 * `"<kind>\n<chunkname>\n<source>"` or `"<kind>"`, `__kp_fatal()` says whether a fatal error
 * happened, `__kp_trip(message)` marks a fenced API call as fatal, `__kp_syntax()` says the
 * error about to be raised is a syntax error.
 */
export const PRELUDE = String.raw`
local host_resolve, host_fatal, host_trip, host_syntax = __kp_resolve, __kp_fatal, __kp_trip, __kp_syntax
__kp_resolve, __kp_fatal, __kp_trip, __kp_syntax = nil, nil, nil, nil

local debug_getinfo, debug_getupvalue, debug_setupvalue, debug_upvaluejoin =
  debug.getinfo, debug.getupvalue, debug.setupvalue, debug.upvaluejoin
local load5, pcall5, xpcall5, error, type, tostring, select, next, rawget, rawset, setmetatable, getmetatable =
  load, pcall, xpcall, error, type, tostring, select, next, rawget, rawset, setmetatable, getmetatable
local math_type, math_floor, string_format, string_byte, string_char, string_sub, string_find, string_gsub =
  math.type, math.floor, string.format, string.byte, string.char, string.sub, string.find, string.gsub
local concat, sort, pack, unpack5 = table.concat, table.sort, table.pack, table.unpack
local coroutine_resume, tonumber, string_match = coroutine.resume, tonumber, string.match

local MEMORY_ERROR = "not enough memory"

-- Where the plugin's code is: the first frame above "level" that is neither C nor this prelude.
local function plugin_frame(level)
  while true do
    local info = debug_getinfo(level + 1, "Sl")
    if not info then return "?", 0 end
    if info.what ~= "C" and info.source ~= "=prelude" then
      local source = info.source
      local first = string_sub(source, 1, 1)
      return (first == "@" or first == "=") and string_sub(source, 2) or source, info.currentline or 0
    end
    level = level + 1
  end
end

-- A fenced API raises an error that no pcall can catch (the file would behave differently in
-- Kong), located at the plugin code that used it.
local function trip(what)
  local message = what .. " is not available in the plugin sandbox"
  host_trip(message)
  local file, line = plugin_frame(2)
  error(file .. ":" .. line .. ": " .. message, 0)
end
local function fence(what)
  return function() trip(what) end
end
local function fenced_table(prefix)
  return setmetatable({}, { __index = function(_, key) trip(prefix .. "." .. tostring(key)) end })
end

local function is_fatal(message)
  return host_fatal() or message == MEMORY_ERROR
end
local function keep_fatal(ok, message, ...)
  if not ok and is_fatal(message) then error(message, 0) end
  return ok, message, ...
end
pcall = function(...) return keep_fatal(pcall5(...)) end
xpcall = function(f, handler, ...)
  return keep_fatal(xpcall5(f, function(message)
    if is_fatal(message) then return message end
    return handler(message)
  end, ...))
end
coroutine.resume = function(...) return keep_fatal(coroutine_resume(...)) end

-- Text chunks only: bytecode would bypass the parser LuaJIT runs and could break the VM.
local function load_text(chunk, chunkname, mode, env)
  if type(chunk) == "string" and string_byte(chunk, 1) == 27 then trip("loading bytecode") end
  if env ~= nil then return load5(chunk, chunkname, "t", env) end
  return load5(chunk, chunkname, "t")
end
load = load_text
loadstring = function(source, chunkname) return load_text(source, chunkname) end
dofile, loadfile, collectgarbage, string.dump = fence("dofile"), fence("loadfile"), fence("collectgarbage"), fence("string.dump")
math.random, math.randomseed = fence("math.random"), fence("math.randomseed")
io, debug = fenced_table("io"), fenced_table("debug")
os = setmetatable({ time = function() return 0 end, getenv = function() return nil end }, { __index = function(_, key) trip("os." .. tostring(key)) end })

-- Lua 5.1 / LuaJIT functions that Lua 5.4 dropped.
unpack = unpack5
table.getn = function(t) return #t end
table.maxn = function(t)
  local max = 0
  for key in next, t do if type(key) == "number" and key > max then max = key end end
  return max
end
math.pow = function(x, y) return x ^ y end
math.mod = math.fmod
math.type = nil

local function function_at(level)
  if type(level) == "function" then return level end
  local info = debug_getinfo((level or 1) + 2, "f")
  if not info then error("bad argument #1 (invalid level)", 3) end
  return info.func
end
local function env_upvalue(f)
  local index = 1
  while true do
    local name = debug_getupvalue(f, index)
    if name == nil then return nil end
    if name == "_ENV" then return index end
    index = index + 1
  end
end
getfenv = function(level)
  local f = function_at(level)
  local index = env_upvalue(f)
  if not index then return _G end
  local _, env = debug_getupvalue(f, index)
  return env
end
setfenv = function(level, env)
  local f = function_at(level)
  local index = env_upvalue(f)
  if index then
    debug_upvaluejoin(f, index, function() return env end, 1)
  end
  return f
end

-- LuaJIT's bit module: 32-bit two's complement results.
local function tobit(x)
  x = math_floor(x) % 4294967296
  if x >= 2147483648 then x = x - 4294967296 end
  return x
end
local function u32(x) return math_floor(x) % 4294967296 end
local function fold(op)
  return function(x, ...)
    local result = u32(x)
    for i = 1, select("#", ...) do result = op(result, u32((select(i, ...)))) end
    return tobit(result)
  end
end
local bit = {
  tobit = tobit,
  band = fold(function(a, b) return a & b end),
  bor = fold(function(a, b) return a | b end),
  bxor = fold(function(a, b) return a ~ b end),
  bnot = function(x) return tobit(~u32(x)) end,
  lshift = function(x, n) return tobit(u32(x) << (math_floor(n) % 32)) end,
  rshift = function(x, n) return tobit(u32(x) >> (math_floor(n) % 32)) end,
  arshift = function(x, n) return tobit(tobit(x) >> (math_floor(n) % 32) | (tobit(x) < 0 and ~(0xFFFFFFFF >> (math_floor(n) % 32)) or 0)) end,
  rol = function(x, n) n = math_floor(n) % 32; x = u32(x); return tobit((x << n) | (x >> (32 - n))) end,
  ror = function(x, n) n = math_floor(n) % 32; x = u32(x); return tobit((x >> n) | (x << (32 - n))) end,
  bswap = function(x) x = u32(x); return tobit(((x & 0xFF) << 24) | ((x & 0xFF00) << 8) | ((x >> 8) & 0xFF00) | (x >> 24)) end,
  tohex = function(x, n) n = n or 8; return string_format("%0" .. math.abs(n) .. (n < 0 and "X" or "x"), u32(x) % (16 ^ math.abs(n) // 1)) end,
}
_G.bit = bit
jit = { version = "LuaJIT 2.1.1723681758", version_num = 20100, os = "Linux", arch = "x64",
  on = function() end, off = function() end, flush = function() end, status = function() return false end }

-- The value that stands for a module or global the sandbox does not have: any use of it
-- (index, call) gives another such value, so a handler whose load only stores them loads.
local INERT = setmetatable({}, { __mode = "k" })
local inert_mt = {}
local function inert(path)
  local value = setmetatable({}, inert_mt)
  INERT[value] = path
  return value
end
inert_mt.__index = function(t, key)
  local value = inert(INERT[t] .. "." .. tostring(key))
  rawset(t, key, value)
  return value
end
inert_mt.__call = function(t) return inert(INERT[t] .. "()") end
inert_mt.__tostring = function(t) return "inert " .. INERT[t] end
inert_mt.__concat = function(a, b) return inert("(" .. tostring(a) .. " .. " .. tostring(b) .. ")") end

-- ngx.null: OpenResty's NULL light userdata, which Kong's schemas use for "no value".
local NULL = setmetatable({}, { __tostring = function() return "userdata: NULL" end })

-- require: the host resolves a name to a plugin file, a Kong shim, a file of Kong's own Lua
-- tree, a fenced module, or nothing (an inert module, recorded).
local loaded = {
  string = string, table = table, math = math, coroutine = coroutine, _G = _G, os = os, io = io,
  debug = debug, bit = bit, jit = jit,
  ["table.new"] = function() return {} end,
  ["table.clear"] = function(t) for key in next, t do t[key] = nil end end,
  ["table.nkeys"] = function(t) local n = 0 for _ in next, t do n = n + 1 end return n end,
  ["table.isarray"] = function(t) local n = #t for key in next, t do if type(key) ~= "number" or key < 1 or key > n or key % 1 ~= 0 then return false end end return true end,
}
local required = {}

-- A file as LuaJIT reads it (lj_lex.c lj_lex_setup): a UTF-8 byte order mark and a first
-- line starting with '#' are skipped. The '#' line is kept as an empty one, so lines still count.
local function load_source(source, chunkname)
  if string_sub(source, 1, 3) == "\239\187\191" then source = string_sub(source, 4) end
  if string_sub(source, 1, 1) == "#" then source = string_gsub(source, "^[^\n]*", "", 1) end
  return load5(source, "@" .. chunkname, "t")
end
-- The chunks being loaded, innermost last: where a memory error (which Lua does not locate) happened.
local loading = {}
require = function(name)
  if type(name) ~= "string" then error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2) end
  local value = loaded[name]
  if value ~= nil then return value end
  local file, line = plugin_frame(2)
  local answer = host_resolve(name, file)
  local kind, chunkname, source = string_match(answer, "^([^\n]*)\n?([^\n]*)\n?(.*)$")
  required[#required + 1] = { module = name, kind = kind, file = file, line = line }
  if kind == "fenced" then trip("require(" .. string_format("%q", name) .. ")") end
  if kind == "missing" then error(file .. ":" .. line .. ": module '" .. name .. "' not found", 0) end
  if kind == "unknown" then
    value = inert(name)
  else
    loading[#loading + 1] = chunkname
    local chunk, message = load_source(source, chunkname)
    if not chunk then host_syntax(); error(message, 0) end
    value = chunk(name)
    loading[#loading] = nil
    if value == nil then value = loaded[name] ~= nil and loaded[name] or true end
  end
  loaded[name] = value
  return value
end
package = { loaded = loaded, preload = {}, path = "", cpath = "", loaders = {}, searchers = {},
  loadlib = fence("package.loadlib"), searchpath = function() return nil end }
table.new, table.clear = loaded["table.new"], loaded["table.clear"]

-- JSON out: sorted keys, arrays for sequences, functions as handles kept for later calls.
local functions, function_ids = {}, {}
local function quote(s)
  return '"' .. string_gsub(s, '[%c"\\]', function(c) return string_format("\\u%04x", string_byte(c)) end) .. '"'
end
local encode
local function encode_table(value, depth)
  local keys, count, sequence, largest = {}, 0, true, 0
  for key in next, value do
    count = count + 1
    keys[count] = key
    if math_type(key) ~= "integer" or key < 1 then sequence = false elseif key > largest then largest = key end
  end
  local parts = {}
  if sequence and count > 0 and largest == count then
    for index = 1, count do parts[index] = encode(value[index], depth) end
    return "[" .. concat(parts, ",") .. "]"
  end
  local names = {}
  for index = 1, count do
    local key = keys[index]
    local name = type(key) == "string" and key or (type(key) == "number" or type(key) == "boolean") and tostring(key) or nil
    if name ~= nil then names[#names + 1] = name; names[name] = key end
  end
  sort(names)
  for index = 1, #names do
    local name = names[index]
    parts[index] = quote(name) .. ":" .. encode(value[names[name]], depth)
  end
  return "{" .. concat(parts, ",") .. "}"
end
encode = function(value, depth)
  local kind = type(value)
  if kind == "string" then return quote(value) end
  if kind == "boolean" then return tostring(value) end
  if kind == "nil" then return "null" end
  if kind == "number" then
    if value ~= value or value == math.huge or value == -math.huge then return '{"$number":' .. quote(tostring(value)) .. "}" end
    return math_type(value) == "integer" and string_format("%d", value) or string_format("%.17g", value)
  end
  if kind == "function" then
    local id = function_ids[value]
    if not id then
      id = #functions + 1
      functions[id], function_ids[value] = value, id
    end
    return '{"$function":' .. id .. "}"
  end
  if value == NULL then return '{"$null":true}' end
  if INERT[value] then return '{"$inert":' .. quote(INERT[value]) .. "}" end
  if kind == "table" then
    if depth >= 200 then return '{"$deep":true}' end
    return encode_table(value, depth + 1)
  end
  return '{"$' .. kind .. '":true}'
end

-- JSON in (arguments of calls from JavaScript): objects and arrays become tables, and
-- {"$null":true} becomes ngx.null.
local decode_value
local function skip(text, at) return (string_find(text, "[^ \t\r\n]", at)) or #text + 1 end
local ESCAPES = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }
local function utf8_char(code)
  if code < 0x80 then return string_char(code) end
  if code < 0x800 then return string_char(0xC0 | (code >> 6), 0x80 | (code & 0x3F)) end
  if code < 0x10000 then return string_char(0xE0 | (code >> 12), 0x80 | ((code >> 6) & 0x3F), 0x80 | (code & 0x3F)) end
  return string_char(0xF0 | (code >> 18), 0x80 | ((code >> 12) & 0x3F), 0x80 | ((code >> 6) & 0x3F), 0x80 | (code & 0x3F))
end
local function decode_string(text, at)
  local parts, from = {}, at + 1
  while true do
    local stop = string_find(text, '["\\]', from)
    parts[#parts + 1] = string_sub(text, from, stop - 1)
    if string_sub(text, stop, stop) == '"' then return concat(parts), stop + 1 end
    local escape = string_sub(text, stop + 1, stop + 1)
    if escape == "u" then
      local code = tonumber(string_sub(text, stop + 2, stop + 5), 16)
      local next_at = stop + 6
      if code >= 0xD800 and code < 0xDC00 then
        local low = tonumber(string_sub(text, stop + 8, stop + 11), 16)
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        next_at = stop + 12
      end
      parts[#parts + 1] = utf8_char(code)
      from = next_at
    else
      parts[#parts + 1] = ESCAPES[escape]
      from = stop + 2
    end
  end
end
decode_value = function(text, at)
  at = skip(text, at)
  local c = string_sub(text, at, at)
  if c == '"' then return decode_string(text, at) end
  if c == "{" or c == "[" then
    local result, close = {}, c == "{" and "}" or "]"
    at = skip(text, at + 1)
    if string_sub(text, at, at) == close then return result, at + 1 end
    local index = 0
    while true do
      local key
      if c == "{" then
        key, at = decode_string(text, skip(text, at))
        at = skip(text, at) + 1
      else
        index = index + 1
        key = index
      end
      result[key], at = decode_value(text, at)
      at = skip(text, at)
      local separator = string_sub(text, at, at)
      at = at + 1
      if separator == close then break end
    end
    if c == "{" and result["$null"] == true and next(result, next(result)) == nil then return NULL, at end
    return result, at
  end
  for literal, value in next, { ["true"] = true, ["false"] = false, ["null"] = NULL } do
    if string_sub(text, at, at + #literal - 1) == literal then return value, at + #literal end
  end
  local number = string_match(text, "^-?%d+%.?%d*[eE]?[-+]?%d*", at)
  return tonumber(number), at + #number
end

-- Entry points for the host.
__kp_run = function(source, chunkname)
  loading = { chunkname }
  local chunk, message = load_source(source, chunkname)
  if not chunk then host_syntax(); error(message, 0) end
  return encode(pack(chunk()), 0)
end
__kp_invoke = function(id, arguments)
  local args = decode_value(arguments, 1)
  return encode(pack(keep_fatal(pcall5(functions[id], unpack5(args, 1, #args)))), 0)
end
__kp_loading = function() return loading[#loading] or "" end
__kp_required = function() return encode(required, 0) end
__kp_global = function(name, json) _G[name] = decode_value(json, 1) end
__kp_inert = inert
__kp_null = NULL
`;
