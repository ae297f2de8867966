/** Server memory over time: {@code /proc/PID/smaps_rollup} readings, listening-port pid discovery, least squares. */
package io.kaiware.bench.memory;
