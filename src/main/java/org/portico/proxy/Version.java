package org.portico.proxy;

/** Portico's product token, for Via (ProxyVia Full) and logs. */
public final class Version {

    public static final String NUMBER = versionFromManifest();
    public static final String PRODUCT = "Portico/" + NUMBER;

    private Version() {
    }

    private static String versionFromManifest() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1";
    }
}
