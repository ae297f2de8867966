/** Renders results: the text report, JSON, CSV, the comparison table, the timeline CSV and the SVG chart. */
package io.kaiware.bench.report;
