package io.herald.tasks.internal.wire;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates as the Resque family writes them. node-resque writes {@code run_at} (working-on payload) and
 * {@code failed_at} (failure payload) with JavaScript's {@code new Date().toString()}, e.g.
 * {@code Fri Dec 12 2014 14:01:16 GMT-0800 (Pacific Standard Time)}, and reads {@code run_at} back with
 * {@code Date.parse} ({@code Queue.cleanOldWorkers}); Ruby Resque writes {@code failed_at} as
 * {@code %Y/%m/%d %H:%M:%S %Z}, node-resque's Retry plugin the same without a zone, Jesque
 * {@code yyyy-MM-dd'T'HH:mm:ss.SSSZ}. {@link #format} writes the JavaScript form;
 * {@link #parse} reads all of them, plus ISO-8601 and {@code toUTCString}.
 */
public final class JsDate {

    /**
     * The date and time of {@code Date.prototype.toString()}: the year has at least four digits and a sign only when
     * negative; the offset drops its seconds (zones in local mean time), as JavaScript's does.
     */
    private static final DateTimeFormatter TO_STRING = new DateTimeFormatterBuilder().appendPattern("EEE MMM dd ")
            .appendValue(ChronoField.YEAR, 4, 9, SignStyle.NORMAL).appendPattern(" HH:mm:ss 'GMT'xx")
            .toFormatter(Locale.US);
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzzz", Locale.US);
    /** {@code Fri Dec 12 2014 14:01:16 GMT-0800 (Pacific Standard Time)}; the weekday and the name are optional. */
    private static final Pattern JS_TO_STRING = Pattern.compile("(?:[A-Za-z]{3},? )?([A-Za-z]{3}) (\\d{1,2})"
            + " (-?\\d{1,6}) (\\d{1,2}):(\\d{2})(?::(\\d{2}))? (?:GMT|UTC)([+-]\\d{2}):?(\\d{2})(?: \\(.*\\))?");
    /** ISO-8601 date-time (Jesque's {@code +hhmm} offset included) or date. */
    private static final Pattern ISO = Pattern.compile("([+-]?\\d{4,6}-\\d{2}-\\d{2})(?:[T ](\\d{2}:\\d{2}"
            + "(?::\\d{2}(?:[.,]\\d{1,9})?)?)\\s*(Z|z|[+-]\\d{2}(?::?\\d{2})?)?)?");
    /** Ruby Resque's {@code %Y/%m/%d %H:%M:%S %Z}; node-resque's Retry plugin leaves the zone out. */
    private static final Pattern RUBY = Pattern.compile(
            "(\\d{4})/(\\d{2})/(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?: (.+))?");
    private static final DateTimeFormatter ZONE_ABBREVIATION = DateTimeFormatter.ofPattern("z", Locale.US);
    private static final DateTimeFormatter MONTH =
            new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("MMM").toFormatter(Locale.US);

    private JsDate() {
    }

    /** The last second {@link #now} formatted, and in which zone: every job a worker claims writes one. */
    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, null, null);

    private record Formatted(long second, ZoneId zone, String text) {
    }

    /**
     * {@code new Date().toString()} in the system's zone, as node-resque writes {@code run_at}/{@code failed_at}. The
     * text has whole seconds, so it is formatted once per second (and zone): a worker writes one per job.
     */
    public static String now() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        ZoneId zone = ZoneId.systemDefault();
        Formatted cached = last;
        if (cached.second() == second && cached.zone().equals(zone)) {
            return cached.text();
        }
        String text = format(Instant.ofEpochSecond(second), zone);
        last = new Formatted(second, zone, text);
        return text;
    }

    /** {@code new Date(instant).toString()} in the system's time zone. */
    public static String format(Instant instant) {
        return format(instant, ZoneId.systemDefault());
    }

    /**
     * JavaScript's {@code Date.prototype.toString()} (ECMA-262 DateString, TimeString, TimeZoneString) in
     * {@code zone}: {@code Www Mmm DD YYYY HH:MM:SS GMT+hhmm (Zone Name)}. The name is the zone's long English name
     * from the JDK's CLDR data (standard or daylight, as in effect then), which is the one Node's ICU prints for the
     * common zones; where CLDR has no name, the JDK's {@code GMT+hh:mm} is used.
     */
    public static String format(Instant instant, ZoneId zone) {
        ZonedDateTime time = instant.atZone(zone);
        return TO_STRING.format(time) + " (" + zoneName(time) + ")";
    }

    /**
     * A fixed offset has no CLDR name: ICU writes UTC's, and {@code GMT+05:00} for the others, where the JDK would
     * write {@code Z} and {@code +05:00}.
     */
    private static String zoneName(ZonedDateTime time) {
        if (time.getZone() instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "Coordinated Universal Time" : "GMT" + offset.getId();
        }
        return ZONE_NAME.format(time);
    }

    /**
     * Reads a date in any of the forms Resque writers use: JavaScript's {@code toString()} (with or without the zone
     * name in parentheses), ISO-8601 ({@code 2014-12-12T22:01:16.000Z}, with an offset, or without one: local time, as
     * {@code Date.parse} reads it; a date alone is UTC midnight, as in JavaScript), Jesque's
     * {@code 2014-12-12T14:01:16.000-0800}, Ruby Resque's {@code 2014/12/12 14:01:16 PST} (a zone abbreviation, an
     * offset such as {@code +0100}, or none: local time), and {@code toUTCString()}'s RFC 1123.
     *
     * @return the instant, or empty when {@code text} is none of these
     */
    public static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        try {
            Matcher js = JS_TO_STRING.matcher(trimmed);
            if (js.matches()) {
                return Optional.of(fromJsString(js));
            }
            Matcher iso = ISO.matcher(trimmed);
            if (iso.matches()) {
                return Optional.of(fromIso(iso));
            }
            Matcher ruby = RUBY.matcher(trimmed);
            if (ruby.matches()) {
                return fromRuby(ruby);
            }
            return Optional.of(ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeException | ArithmeticException e) {
            // out-of-range fields (month 13, hour 25) or text that matched no form
            return Optional.empty();
        }
    }

    private static Instant fromJsString(Matcher js) {
        int month = MONTH.parse(js.group(1)).get(ChronoField.MONTH_OF_YEAR);
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(js.group(3)), month, Integer.parseInt(js.group(2)),
                Integer.parseInt(js.group(4)), Integer.parseInt(js.group(5)),
                js.group(6) == null ? 0 : Integer.parseInt(js.group(6)));
        int hours = Integer.parseInt(js.group(7));
        int minutes = Integer.parseInt(js.group(8));
        return local.toInstant(ZoneOffset.ofHoursMinutes(hours, js.group(7).startsWith("-") ? -minutes : minutes));
    }

    private static Instant fromIso(Matcher iso) {
        LocalDate date = LocalDate.parse(iso.group(1), DateTimeFormatter.ISO_LOCAL_DATE);
        if (iso.group(2) == null) {
            return date.atStartOfDay(ZoneOffset.UTC).toInstant(); // a date alone is UTC in JavaScript
        }
        LocalTime time = LocalTime.parse(iso.group(2).replace(',', '.'), DateTimeFormatter.ISO_LOCAL_TIME);
        LocalDateTime local = LocalDateTime.of(date, time);
        String zone = iso.group(3);
        if (zone == null) {
            return local.atZone(ZoneId.systemDefault()).toInstant(); // local time, as Date.parse reads it
        }
        return local.toInstant(offset(zone));
    }

    /** {@code Z}, {@code +hh}, {@code +hhmm}, {@code +hh:mm}. */
    private static ZoneOffset offset(String text) {
        if (text.equalsIgnoreCase("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = text.replace(":", "");
        int sign = digits.charAt(0) == '-' ? -1 : 1;
        int hours = Integer.parseInt(digits.substring(1, 3));
        int minutes = digits.length() >= 5 ? Integer.parseInt(digits.substring(3, 5)) : 0;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }

    private static Optional<Instant> fromRuby(Matcher ruby) {
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(ruby.group(1)), Integer.parseInt(ruby.group(2)),
                Integer.parseInt(ruby.group(3)), Integer.parseInt(ruby.group(4)), Integer.parseInt(ruby.group(5)),
                Integer.parseInt(ruby.group(6)));
        String zone = ruby.group(7);
        if (zone == null) {
            return Optional.of(local.atZone(ZoneId.systemDefault()).toInstant());
        }
        if (zone.equals("UTC") || zone.equals("GMT") || zone.equals("Z")) {
            return Optional.of(local.toInstant(ZoneOffset.UTC));
        }
        if (zone.matches("[+-]\\d{2}(:?\\d{2})?")) {
            return Optional.of(local.toInstant(offset(zone)));
        }
        try {
            // an abbreviation (PST, CET, ...) names a region; the offset is the one in effect then
            ZoneId region = ZoneId.from(ZONE_ABBREVIATION.parse(zone));
            return Optional.of(local.atZone(region).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
