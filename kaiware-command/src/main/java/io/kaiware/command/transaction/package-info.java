/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH. The per-client state and the design essay are in
 * {@link io.kaiware.command.transaction.Transaction}; queueing itself happens in the
 * {@link io.kaiware.command.Dispatcher}, and write detection in the engine's
 * {@link io.kaiware.engine.Database} (see its WATCH section).
 */
package io.kaiware.command.transaction;
