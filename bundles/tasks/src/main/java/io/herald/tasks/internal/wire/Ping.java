package io.herald.tasks.internal.wire;

/**
 * A worker's ping ({@code worker:ping:<name>}): {@code {"time":<unix s>,"name":..,
 * "queues":..}}, written by node-resque's worker every {@code timeout} ms and read by its scheduler's
 * {@code checkStuckWorkers}.
 *
 * @param time unix seconds of the last ping
 * @param name the worker's name
 * @param queues the worker's queues, joined by {@code ,}
 */
public record Ping(long time, String name, String queues) {
}
