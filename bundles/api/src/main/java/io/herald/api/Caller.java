package io.herald.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who makes a call, as an authentication bundle established it: an API key's name, a session's user id or a token's
 * subject, with the roles granted to it. Absent for an anonymous call.
 *
 * @param id the caller's identity: a user id, an API key's name, a token's subject
 * @param roles the roles granted, as actions name them in {@link ActionDefinition#roles()}
 * @param scheme how the caller proved it: {@code apiKey}, {@code session}, {@code jwt} or another authenticator's word
 * @since 1.1
 */
public record Caller(String id, Set<String> roles, String scheme) {

    public Caller {
        Objects.requireNonNull(id, "id");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(scheme, "scheme");
    }

    /** Whether the caller has {@code role}. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether the caller has every role of {@code required}; true for none. */
    public boolean hasRoles(Iterable<String> required) {
        for (String role : required) {
            if (!roles.contains(role)) {
                return false;
            }
        }
        return true;
    }
}
