package org.portico.manager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;

/**
 * The live picture: per balancer, one inline SVG of requests per second and one of errors per second,
 * a line per member. The server draws them from {@link TrafficHistory} (so the page shows them without
 * JavaScript), and a small script ({@value #SCRIPT_NAME}, a resource the manager serves) redraws them
 * from the traffic JSON every sampling interval, in each chart's plot area.
 */
final class TrafficChart {

    static final String[] COLORS = {"#1f6fb2", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#5c7cfa", "#e67700", "#0b7285"};
    private static final int X0 = 44;
    private static final int WIDTH = 546;
    private static final int Y0 = 8;
    private static final int HEIGHT = 92;
    /** The script's name, beside this class and under the manager's URL. */
    static final String SCRIPT_NAME = "traffic-chart.js";
    private static final String SCRIPT = readScript();

    private TrafficChart() {
    }

    /** Both charts of one balancer, with a legend naming each member's colour. */
    static void render(StringBuilder sb, Balancer b, TrafficHistory history) {
        List<Worker> members = b.members();
        sb.append("<div class=\"charts\">\n");
        chart(sb, b, history, members, "rps", "requests per second");
        chart(sb, b, history, members, "eps", "errors per second");
        sb.append("<ul class=\"legend\">");
        for (int i = 0; i < members.size(); i++) {
            sb.append("<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"")
                    .append(COLORS[i % COLORS.length]).append("\"/></svg> ")
                    .append(Html.escape(members.get(i).name())).append("</li>");
        }
        sb.append("</ul>\n<p class=\"note\">Last ").append(minutes(history)).append(", sampled every ")
                .append(history.interval().toMillis() / 1000.0).append(" s; redrawn live when scripts run.</p>\n</div>\n");
    }

    private static String minutes(TrafficHistory history) {
        long s = history.interval().toMillis() * (TrafficHistory.CAPACITY - 1) / 1000;
        return s >= 120 ? (s / 60) + " minutes" : s + " seconds";
    }

    private static void chart(StringBuilder sb, Balancer b, TrafficHistory history, List<Worker> members,
                              String series, String title) {
        double max = 0;
        for (Worker w : members) {
            for (double v : values(history, b, w, series)) {
                max = Math.max(max, v);
            }
        }
        max = niceMax(max);
        sb.append("<figure><svg class=\"chart\" viewBox=\"0 0 600 112\" role=\"img\" aria-label=\"")
                .append(Html.escape(b.config().url() + ": " + title)).append("\" data-balancer=\"")
                .append(Html.escape(b.name())).append("\" data-series=\"").append(series).append("\">")
                .append("<rect x=\"").append(X0).append("\" y=\"").append(Y0).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" fill=\"#fafafa\" stroke=\"#bbb\"/>")
                .append("<text class=\"max\" x=\"").append(X0 - 4).append("\" y=\"").append(Y0 + 8)
                .append("\" text-anchor=\"end\" font-size=\"10\">").append(label(max)).append("</text>")
                .append("<text x=\"").append(X0 - 4).append("\" y=\"").append(Y0 + HEIGHT)
                .append("\" text-anchor=\"end\" font-size=\"10\">0</text>");
        for (int i = 0; i < members.size(); i++) {
            Worker w = members.get(i);
            sb.append("<polyline fill=\"none\" stroke=\"").append(COLORS[i % COLORS.length])
                    .append("\" stroke-width=\"1.5\" data-worker=\"").append(Html.escape(w.name()))
                    .append("\" points=\"").append(points(values(history, b, w, series), max)).append("\"/>");
        }
        sb.append("</svg><figcaption>").append(Html.escape(title)).append("</figcaption></figure>\n");
    }

    private static List<Double> values(TrafficHistory history, Balancer b, Worker w, String series) {
        TrafficHistory.Rates r = history.rates(b, w);
        return "rps".equals(series) ? r.requests() : r.errors();
    }

    /** The polyline of {@code values}, the newest at the right edge. */
    static String points(List<Double> values, double max) {
        int c = TrafficHistory.CAPACITY - 1;
        int k = values.size();
        StringBuilder sb = new StringBuilder(k * 12);
        for (int j = 0; j < k; j++) {
            double x = X0 + WIDTH * (double) (c - k + j) / (c - 1);
            double y = Y0 + HEIGHT - (values.get(j) / max) * HEIGHT;
            if (j > 0) {
                sb.append(' ');
            }
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        return sb.toString();
    }

    /** The chart's top: 1, 2 or 5 times a power of ten, at least 1. */
    static double niceMax(double m) {
        if (m <= 1) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(m)));
        for (double f : new double[] {1, 2, 5, 10}) {
            if (f * p >= m) {
                return f * p;
            }
        }
        return 10 * p;
    }

    private static String label(double max) {
        return (max == Math.rint(max) ? Long.toString((long) max) : Double.toString(max)) + " /s";
    }

    /** The page's {@code <body>} attributes the script reads: the members' colours, in order. */
    static String bodyAttributes() {
        return " data-colors=\"" + String.join(" ", COLORS) + "\"";
    }

    /** The redraw script, {@code traffic-chart.js} beside this class, which the manager serves. */
    static String script() {
        return SCRIPT;
    }

    private static String readScript() {
        try (InputStream in = TrafficChart.class.getResourceAsStream(SCRIPT_NAME)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT_NAME + " is missing beside " + TrafficChart.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
