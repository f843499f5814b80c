@NullMarked
package dev.sentryboot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
