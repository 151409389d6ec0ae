package io.arraymorph.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that starts real servers: S3Proxy, Azurite, a TLS or fault-injecting proxy on
 * a socket, or a multi-JVM Spark {@code local-cluster}. Only these classes run in the build's
 * rerun-on-failure executions (root pom.xml, tag {@value #TAG}): on a busy machine they can lose a
 * timing race with a process they do not control. Unit tests never get a second chance, so a flaky
 * unit test fails the build and gets fixed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(StartsServers.TAG)
public @interface StartsServers {
  /** The JUnit tag surefire and failsafe select these classes by. */
  String TAG = "starts-servers";
}
