package io.kaiware.command.script;

import java.util.IdentityHashMap;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Redis 7.0's read-only tables (its patched Lua's {@code lua_enablereadonlytable}), which LuaJ does
 * not have: once the sandbox is set up, the globals table and every table reachable from it (redis,
 * string, math, table, bit, their metatables ...) refuse every change with Redis's error, so no
 * script can leave anything behind for the next one. That is what makes a replica with a fresh Lua
 * state behave exactly like one that has run a thousand scripts (ADR 0006).
 */
final class ReadOnlyTables {
  private ReadOnlyTables() {}

  static final String READONLY_ERROR = "Attempt to modify a readonly table";

  /** A table that can be locked. */
  interface Lockable {
    void lock();

    boolean locked();
  }

  /** An ordinary table, lockable. */
  static final class Table extends LuaTable implements Lockable {
    private boolean locked;

    @Override
    public void lock() {
      locked = true;
    }

    @Override
    public boolean locked() {
      return locked;
    }

    private void check() {
      if (locked) {
        throw new LuaError(READONLY_ERROR);
      }
    }

    @Override
    public void rawset(int key, LuaValue value) {
      check();
      super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
      check();
      super.rawset(key, value);
    }

    @Override
    public void hashset(LuaValue key, LuaValue value) {
      check();
      super.hashset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
      check();
      return super.setmetatable(metatable);
    }

    @Override
    public LuaValue remove(int pos) {
      check();
      return super.remove(pos);
    }

    @Override
    public void insert(int pos, LuaValue value) {
      check();
      super.insert(pos, value);
    }

    @Override
    public void sort(LuaValue comparator) {
      check();
      super.sort(comparator);
    }
  }

  /** The globals table, lockable; {@link #setUnlocked} is how KEYS and ARGV are set per call. */
  static final class SandboxGlobals extends Globals implements Lockable {
    private boolean locked;

    @Override
    public void lock() {
      locked = true;
    }

    @Override
    public boolean locked() {
      return locked;
    }

    private void check() {
      if (locked) {
        throw new LuaError(READONLY_ERROR);
      }
    }

    /** Sets a global while the table is locked (KEYS and ARGV before each call, as Redis does). */
    void setUnlocked(LuaValue key, LuaValue value) {
      boolean was = locked;
      locked = false;
      try {
        super.rawset(key, value);
      } finally {
        locked = was;
      }
    }

    @Override
    public void rawset(int key, LuaValue value) {
      check();
      super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
      check();
      super.rawset(key, value);
    }

    @Override
    public void hashset(LuaValue key, LuaValue value) {
      check();
      super.hashset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
      check();
      return super.setmetatable(metatable);
    }

    @Override
    public LuaValue remove(int pos) {
      check();
      return super.remove(pos);
    }

    @Override
    public void insert(int pos, LuaValue value) {
      check();
      super.insert(pos, value);
    }

    @Override
    public void sort(LuaValue comparator) {
      check();
      super.sort(comparator);
    }
  }

  /** A lockable copy of {@code table}: same entries and metatable. */
  static Table copyOf(LuaTable table) {
    Table copy = new Table();
    LuaValue k = LuaValue.NIL;
    for (;;) {
      Varargs n = table.next(k);
      k = n.arg1();
      if (k.isnil()) {
        break;
      }
      copy.rawset(k, n.arg(2));
    }
    LuaValue mt = table.getmetatable();
    if (mt != null && !mt.isnil()) {
      copy.setmetatable(mt);
    }
    return copy;
  }

  /**
   * Replaces, recursively, every plain table reachable from {@code root} (values and metatables)
   * by a lockable copy, then locks them all: Redis's {@code luaSetTableProtectionRecursively}.
   */
  static void protectRecursively(SandboxGlobals root) {
    Map<LuaValue, Table> copies = new IdentityHashMap<>();
    rewrite(root, copies);
    root.lock();
  }

  private static void rewrite(LuaTable table, Map<LuaValue, Table> copies) {
    LuaValue k = LuaValue.NIL;
    java.util.List<LuaValue[]> replacements = new java.util.ArrayList<>();
    for (;;) {
      Varargs n = table.next(k);
      k = n.arg1();
      if (k.isnil()) {
        break;
      }
      LuaValue v = n.arg(2);
      if (v.istable() && !(v instanceof Lockable)) {
        replacements.add(new LuaValue[] {k, lockedCopy((LuaTable) v, copies)});
      } else if (v instanceof Table t && !t.locked()) {
        rewrite(t, copies);
        t.lock();
      }
    }
    for (LuaValue[] r : replacements) {
      table.rawset(r[0], r[1]);
    }
    LuaValue mt = table.getmetatable();
    if (mt != null && mt.istable() && !(mt instanceof Lockable)) {
      table.setmetatable(lockedCopy((LuaTable) mt, copies));
    } else if (mt instanceof Table t && !t.locked()) {
      rewrite(t, copies);
      t.lock();
    }
  }

  private static Table lockedCopy(LuaTable original, Map<LuaValue, Table> copies) {
    Table copy = copies.get(original);
    if (copy != null) {
      return copy;
    }
    copy = copyOf(original);
    copies.put(original, copy);
    rewrite(copy, copies);
    copy.lock();
    return copy;
  }
}
