@NullMarked
package dev.sentryboot.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
