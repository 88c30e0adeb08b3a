package io.herald.middleware.auth.example;

import java.util.Optional;
import java.util.Set;

/** Stands for an application's user store in the README's login example. */
public interface Users {

    record User(String id, Set<String> roles) {
    }

    /** The user whose email and password these are, or empty. */
    Optional<User> check(String email, String password);
}
