/**
 * Runs an Argo CD health script with fengari (Lua 5.3 in JavaScript) the way
 * Argo CD runs it (gopher-lua): the resource as the global `obj`, the script's
 * return value a table with status and message.
 */
// fengari ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fengari = require('fengari');
const { lua, lauxlib, lualib, to_luastring, to_jsstring } = fengari;

export interface LuaHealth {
  readonly status: string;
  readonly message: string;
}

function push(L: unknown, value: unknown): void {
  if (value === null || value === undefined) {
    lua.lua_pushnil(L);
  } else if (typeof value === 'boolean') {
    lua.lua_pushboolean(L, value);
  } else if (typeof value === 'number') {
    // gopher-lua prints whole float64s without ".0"; Lua 5.3 does so only for integers.
    if (Number.isInteger(value)) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') {
    lua.lua_pushstring(L, to_luastring(value));
  } else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      push(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else {
    lua.lua_newtable(L);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      push(L, v);
      lua.lua_setfield(L, -2, to_luastring(k));
    }
  }
}

export function runHealthScript(script: string, obj: unknown): LuaHealth {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  push(L, obj);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK || lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) {
    throw new Error(`Lua error: ${to_jsstring(lua.lua_tostring(L, -1))}`);
  }
  if (!lua.lua_istable(L, -1)) throw new Error('the health script did not return a table');
  const field = (name: string) => {
    lua.lua_getfield(L, -1, to_luastring(name));
    const v = lua.lua_isnil(L, -1) ? '' : to_jsstring(lua.lua_tostring(L, -1));
    lua.lua_pop(L, 1);
    return v;
  };
  return { status: field('status'), message: field('message') };
}
