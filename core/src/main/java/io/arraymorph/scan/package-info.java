/**
 * Scan planning and chunk reading shared by every door (Spark, the Java API, the CLI): which chunks
 * a read touches, what is stored, and the one version check a distributed read makes.
 */
package io.arraymorph.scan;
