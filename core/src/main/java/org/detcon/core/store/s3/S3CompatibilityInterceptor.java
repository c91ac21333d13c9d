package org.detcon.core.store.s3;

import java.util.List;
import java.util.Locale;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops request headers that S3-compatible stores reject but that only restate S3's default. Today: a
 * {@code x-amz-server-side-encryption-bucket-key-enabled: false} header, which Beam's S3 filesystem sends on every
 * multipart upload and which s3proxy's filesystem backend answers with HTTP 501 NotImplemented.
 *
 * <p>For clients talking to an endpoint override (s3proxy, MinIO, ...); against AWS S3 the header is harmless and
 * this interceptor need not be installed. Beam pipelines attach it in their {@code --s3ClientFactoryClass}
 * (module beam-segmentation) via {@link S3ObjectStore#configure}.
 */
public final class S3CompatibilityInterceptor implements ExecutionInterceptor {

    static final String BUCKET_KEY_ENABLED = "x-amz-server-side-encryption-bucket-key-enabled";

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        List<String> values = request.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(BUCKET_KEY_ENABLED))
                .flatMap(e -> e.getValue().stream()).toList();
        if (values.isEmpty() || !values.stream().allMatch(v -> v.trim().toLowerCase(Locale.ROOT).equals("false"))) {
            return request;
        }
        SdkHttpRequest.Builder b = request.toBuilder();
        request.headers().keySet().stream().filter(k -> k.equalsIgnoreCase(BUCKET_KEY_ENABLED)).toList()
                .forEach(b::removeHeader);
        return b.build();
    }
}
