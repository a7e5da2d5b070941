/** Operators (tenants), their staff, and {@code me}. */
package io.nomadstays.operator;
