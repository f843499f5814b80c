@NullMarked
package dev.sentryboot.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
