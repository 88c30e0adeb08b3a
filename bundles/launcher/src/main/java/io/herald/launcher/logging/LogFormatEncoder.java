package io.herald.launcher.logging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * The encoder of the appenders in {@code config/logback.xml}: one switch, {@code HERALD_LOG_FORMAT}, for every appender
 * and every environment's file. With {@code text} (the default) it writes today's lines with {@link #setPattern the
 * pattern}; with {@code json} one JSON object per line, written by logstash-logback-encoder (the format log shippers
 * such as Logstash, Fluent Bit and Vector read as it is): {@code @timestamp}, {@code level}, {@code logger_name},
 * {@code thread_name}, {@code message}, {@code stack_trace}, the MDC and the SLF4J key-value pairs (the action log's
 * {@code connectionId}, {@code requestId}, {@code action}, {@code status}, {@code durationMs}, ...), and on every line
 * {@code nodeId} and {@code role}, so lines from several nodes can be told apart once they are shipped together.
 *
 * <p>The launcher validates {@code HERALD_LOG_FORMAT} and passes it, the node id and the role as the system properties
 * {@value #FORMAT_PROPERTY}, {@value #NODE_ID_PROPERTY} and {@value #ROLE_PROPERTY}. Jackson escapes control characters
 * in every value, so a client's text cannot forge a line of its own.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

    /** {@code text} or {@code json}; anything else is refused by the launcher before logging starts. */
    public static final String FORMAT_PROPERTY = "herald.log.format";
    public static final String NODE_ID_PROPERTY = "herald.node.id";
    public static final String ROLE_PROPERTY = "herald.role";
    public static final String TEXT = "text";
    public static final String JSON = "json";

    private String pattern;
    private Encoder<ILoggingEvent> delegate;

    /** The layout of a text line (Logback's {@code PatternLayout}); unused for JSON. */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public String getPattern() {
        return pattern;
    }

    @Override
    public void start() {
        String format = System.getProperty(FORMAT_PROPERTY, TEXT);
        if (JSON.equals(format)) {
            delegate = json();
        } else {
            if (!TEXT.equals(format)) {
                addError(FORMAT_PROPERTY + "=" + format + " is not a log format: writing text");
            }
            if (pattern == null || pattern.isBlank()) {
                addError("no <pattern> for the text format");
                return;
            }
            delegate = text(pattern);
        }
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate == null ? null : delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate == null ? null : delegate.footerBytes();
    }

    private Encoder<ILoggingEvent> text(String layout) {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(getContext());
        text.setPattern(layout);
        return text;
    }

    private Encoder<ILoggingEvent> json() {
        LogstashEncoder json = new LogstashEncoder();
        json.setContext(getContext());
        // Built with Jackson, not by hand: an id may hold quotes or backslashes.
        ObjectNode fields = new ObjectMapper().createObjectNode();
        fields.put("nodeId", System.getProperty(NODE_ID_PROPERTY, "-"));
        fields.put("role", System.getProperty(ROLE_PROPERTY, "-"));
        json.setCustomFields(fields.toString());
        return json;
    }
}
