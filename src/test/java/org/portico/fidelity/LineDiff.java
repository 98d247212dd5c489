package org.portico.fidelity;

import java.util.ArrayList;
import java.util.List;

/** A line diff of two observations (longest common subsequence): {@code -} httpd only, {@code +} Portico only. */
final class LineDiff {

    private LineDiff() {
    }

    /** The changed lines with one line of context around each run; runs of equal lines in between become "...". */
    static String of(String httpd, String portico) {
        String[] a = httpd.split("\n", -1);
        String[] b = portico.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> all = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                all.add("  " + a[i++]);
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                all.add("- " + a[i++]);
            } else {
                all.add("+ " + b[j++]);
            }
        }
        StringBuilder out = new StringBuilder();
        boolean skipped = false;
        for (int k = 0; k < all.size(); k++) {
            boolean near = false;
            for (int d = -1; d <= 1; d++) {
                int n = k + d;
                near |= n >= 0 && n < all.size() && !all.get(n).startsWith("  ");
            }
            // the request a change belongs to is always shown
            if (near || all.get(k).startsWith("  > ")) {
                out.append(all.get(k)).append('\n');
                skipped = false;
            } else if (!skipped) {
                out.append("  ...\n");
                skipped = true;
            }
        }
        return out.toString();
    }
}
