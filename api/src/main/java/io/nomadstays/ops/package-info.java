/** Operations: request ids in logs, the start-up message. */
package io.nomadstays.ops;
