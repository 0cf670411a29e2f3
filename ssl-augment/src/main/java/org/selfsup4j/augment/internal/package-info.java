/** Implementation details of ssl-augment; not an API. */
package org.selfsup4j.augment.internal;
