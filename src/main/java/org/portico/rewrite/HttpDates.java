package org.portico.rewrite;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * httpd's {@code ap_proxy_date_canon} for {@code Date}, {@code Expires} and {@code Last-Modified}:
 * a value in the obsolete RFC 850 or asctime form becomes RFC 1123 (IMF-fixdate); anything else,
 * {@code Expires: 0} and impossible dates included, passes unchanged. Stateless; safe from any thread.
 * Not HttpClient5's {@code DateUtils}: it does not read RFC 850's two-digit years, which httpd reads with a fixed pivot.
 */
public final class HttpDates {

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}; the weekday name is not checked, as apr does not. */
    private static final Pattern RFC_850 = Pattern.compile(
            "[A-Za-z]+, (\\d{2})-([A-Za-z]{3})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT");
    /** {@code Sun Nov  6 08:49:37 1994}: the day padded with a space (or, leniently, a zero or nothing). */
    private static final Pattern ASCTIME = Pattern.compile(
            "[A-Za-z]{3} ([A-Za-z]{3}) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})");
    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US);

    private HttpDates() {
    }

    /** {@code value} in RFC 1123 form when it is an RFC 850 or asctime date, otherwise {@code value} itself. */
    public static String normalise(String value) {
        if (isImfFixdate(value)) {
            return value; // what nearly every backend sends: no regex on the response path
        }
        Matcher m = RFC_850.matcher(value);
        if (m.matches()) {
            int yy = Integer.parseInt(m.group(3));
            // apr_date_parse_http's fixed pivot: 70..99 are 19xx, 00..69 are 20xx
            int year = yy < 70 ? 2000 + yy : 1900 + yy;
            return format(year, m.group(2), m.group(1), m.group(4), m.group(5), m.group(6), value);
        }
        m = ASCTIME.matcher(value);
        if (m.matches()) {
            return format(Integer.parseInt(m.group(6)), m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), value);
        }
        return value;
    }

    /**
     * The shape of {@code Sun, 06 Nov 1994 08:49:37 GMT}: a comma fourth and a space eighth, which neither
     * obsolete form can have (RFC 850 puts a hyphen after the day, asctime a space after the weekday).
     */
    private static boolean isImfFixdate(String v) {
        return v.length() == 29 && v.charAt(3) == ',' && v.charAt(4) == ' ' && v.charAt(7) == ' ';
    }

    private static String format(int year, String month, String day, String hour, String minute, String second,
                                 String original) {
        int mon = MONTHS.indexOf(month.toLowerCase(Locale.ROOT));
        if (mon < 0) {
            return original;
        }
        try {
            LocalDateTime t = LocalDateTime.of(year, mon + 1, Integer.parseInt(day), Integer.parseInt(hour),
                    Integer.parseInt(minute), Integer.parseInt(second));
            return RFC_1123.format(t);
        } catch (DateTimeException e) {
            return original; // 31-Feb, 25:00 and the like are left for the client to judge
        }
    }
}
