package io.herald.middleware.params.internal;

import java.util.Map;

/** Registers a service and withdraws it: the bundle's context under OSGi, a recording fake in tests. */
interface Publisher {

    /** A registration that can be withdrawn once. */
    interface Published {
        void withdraw();
    }

    <S> Published publish(Class<S> type, S service, Map<String, Object> properties);
}
