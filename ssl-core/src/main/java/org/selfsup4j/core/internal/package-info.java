/**
 * Implementation detail shared by the packages of ssl-core (and the modules built on it): host-memory
 * loops over ND4J arrays. Not API: names and signatures change without notice.
 */
package org.selfsup4j.core.internal;
