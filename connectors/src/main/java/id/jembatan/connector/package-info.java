/** Agency connectors: one sub-package per agency with its translator, connector and sandbox. */
package id.jembatan.connector;
