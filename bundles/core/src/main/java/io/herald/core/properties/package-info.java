/**
 * Typed reading of service and configuration properties, with the rules every Herald bundle applies: a value arrives
 * as its own type (a DS component property type) or as a string (a {@code .cfg} file); lists as arrays, collections
 * or comma-separated strings; booleans as true/false/yes/no/1/0; a value that is not accepted is an
 * {@link io.herald.core.properties.InvalidPropertyException} naming the property.
 *
 * <p>Since 1.1: {@code ranking} and {@code serviceId}, the OSGi ordering of services, and
 * {@link io.herald.core.properties.RankedServices}, the services of one kind of which the highest ranked answers.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.herald.core.properties;
