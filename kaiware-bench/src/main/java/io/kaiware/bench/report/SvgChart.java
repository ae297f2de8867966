package io.kaiware.bench.report;

import io.kaiware.bench.load.IntervalSample;
import io.kaiware.bench.load.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hand-written SVG with two panels sharing the time axis: server memory (private and RSS, MiB) on
 * top, p99 latency per interval (ms) below. The warm-up period is shaded.
 */
public final class SvgChart {
    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 220;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int GAP = 50;

    private SvgChart() {}

    public static String render(RunResult r) {
        List<IntervalSample> t = r.timeline();
        double maxS = 1;
        for (IntervalSample s : t) maxS = Math.max(maxS, s.elapsedMs() / 1e3);
        int height = TOP + 2 * PANEL_HEIGHT + GAP + 40;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s %s: memory and p99 over time</text>%n",
                LEFT, esc(r.settings().name()), esc(r.settings().address())));

        List<double[]> priv = new ArrayList<>();
        List<double[]> rss = new ArrayList<>();
        List<double[]> p99 = new ArrayList<>();
        for (IntervalSample s : t) {
            double x = s.elapsedMs() / 1e3;
            if (s.hasMemory()) {
                priv.add(new double[] {x, s.privateKb() / 1024.0});
                rss.add(new double[] {x, s.rssKb() / 1024.0});
            }
            if (s.requests() > 0) p99.add(new double[] {x, s.p99Ns() / 1e6});
        }
        double warmupS = r.settings().warmupNs() / 1e9;
        panel(b, TOP, "memory (MiB)", maxS, warmupS, List.of(priv, rss), List.of("#1f77b4", "#ff7f0e"), List.of("private", "RSS"));
        panel(b, TOP + PANEL_HEIGHT + GAP, "p99 (ms)", maxS, warmupS, List.of(p99), List.of("#d62728"), List.of("p99 per interval"));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">elapsed (s)</text>%n", WIDTH / 2, height - 8));
        return b.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder b, int top, String title, double maxX, double warmupS, List<List<double[]>> series,
                              List<String> colors, List<String> labels) {
        int w = WIDTH - LEFT - RIGHT;
        double maxY = 0;
        for (List<double[]> s : series) for (double[] p : s) maxY = Math.max(maxY, p[1]);
        maxY = maxY <= 0 ? 1 : maxY * 1.1;
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, top - 6, esc(title)));
        if (warmupS > 0) {
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eeeeee\"/>%n",
                    LEFT, top, Math.min(w, w * warmupS / maxX), PANEL_HEIGHT));
        }
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n", LEFT, top, w, PANEL_HEIGHT));
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            double y = top + PANEL_HEIGHT - PANEL_HEIGHT * i / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, LEFT + w, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 4, y + 4, label(v)));
            double xv = maxX * i / 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + w * i / 4.0, top + PANEL_HEIGHT + 14, label(xv)));
        }
        for (int si = 0; si < series.size(); si++) {
            List<double[]> s = series.get(si);
            if (s.isEmpty()) continue;
            StringBuilder pts = new StringBuilder();
            for (double[] p : s) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + w * p[0] / maxX, top + PANEL_HEIGHT - PANEL_HEIGHT * p[1] / maxY));
            }
            b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n", colors.get(si), pts.toString().trim()));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", LEFT + w - 150, top + 14 + 14 * si, colors.get(si), esc(labels.get(si))));
        }
    }

    private static String label(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
