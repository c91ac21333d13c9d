package org.detcon.orchestration;

import java.util.HashMap;
import java.util.Map;
import org.detcon.core.store.s3.S3ProxyExtension;

/**
 * Points this JVM's object stores at core's test s3proxy the way a host is configured (the {@code detcon.s3.*} and
 * {@code aws.*} system properties), and puts the settings back when closed; {@link #environment} gives the same
 * settings as the environment of a process the test starts (a trainer service and its jobs).
 */
public final class S3TestSettings implements AutoCloseable {

    private static final String[] PROPS = {"detcon.s3.endpoint", "aws.region", "aws.accessKeyId",
        "aws.secretAccessKey"};
    private final Map<String, String> saved = new HashMap<>();

    private S3TestSettings(S3ProxyExtension.Server s3) {
        for (String p : PROPS) {
            saved.put(p, System.getProperty(p));
        }
        System.setProperty("detcon.s3.endpoint", s3.endpoint().toString());
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", S3ProxyExtension.Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyExtension.Server.SECRET_KEY);
    }

    /** Sets the system properties for {@code s3}. */
    public static S3TestSettings apply(S3ProxyExtension.Server s3) {
        return new S3TestSettings(s3);
    }

    /** The settings for {@code s3} as environment variables. */
    public static Map<String, String> environment(S3ProxyExtension.Server s3) {
        return Map.of("DETCON_S3_ENDPOINT", s3.endpoint().toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", S3ProxyExtension.Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY",
                S3ProxyExtension.Server.SECRET_KEY);
    }

    @Override
    public void close() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }
}
