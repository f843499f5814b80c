@NullMarked
package dev.sentryboot.autoconfigure.local;

import org.jspecify.annotations.NullMarked;
