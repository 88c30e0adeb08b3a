package io.herald.tasks.internal.store;

import java.util.List;
import java.util.ListIterator;

/** Redis's list semantics ({@code LRANGE}, {@code LREM}) on a Java list, for {@link MemoryResqueStore}. */
final class RedisLists {

    private RedisLists() {
    }

    /** {@code LRANGE start stop}: inclusive, negative indexes count from the end, out-of-range ends clamped. */
    static List<String> range(List<String> list, long start, long stop) {
        int size = list.size();
        long from = start < 0 ? Math.max(0, size + start) : start;
        long to = stop < 0 ? size + stop : Math.min(stop, size - 1L);
        if (from > to || from >= size) {
            return List.of();
        }
        return List.copyOf(list.subList((int) from, (int) to + 1));
    }

    /**
     * {@code LREM count value}: removes up to {@code count} elements equal to {@code value} from the head
     * ({@code count > 0}), from the tail ({@code count < 0}), or all of them ({@code 0}).
     *
     * @return how many were removed
     */
    static long remove(List<String> list, String value, long count) {
        long removed = 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        if (count >= 0) {
            for (ListIterator<String> it = list.listIterator(); it.hasNext() && removed < limit;) {
                if (it.next().equals(value)) {
                    it.remove();
                    removed++;
                }
            }
        } else {
            for (ListIterator<String> it = list.listIterator(list.size()); it.hasPrevious() && removed < limit;) {
                if (it.previous().equals(value)) {
                    it.remove();
                    removed++;
                }
            }
        }
        return removed;
    }
}
