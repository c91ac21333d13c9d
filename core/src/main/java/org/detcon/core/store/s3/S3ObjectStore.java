package org.detcon.core.store.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.detcon.core.store.AtomicOutputStream;
import org.detcon.core.store.ObjectStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * {@link ObjectStore} on S3 or any S3-compatible store, rooted at {@code s3://bucket/prefix}.
 *
 * <p>Writes are buffered one part at a time: an object no larger than {@link S3Config#partSize()} is sent with a
 * single PUT, a larger one as a multipart upload completed on {@code close()}. Both are atomic in S3 (the object
 * appears whole when the PUT or CompleteMultipartUpload succeeds); on {@code abort()} or any failure the
 * multipart upload is aborted, so nothing is left, not even invisible parts.
 *
 * <p>Credentials are handed to the SDK and never logged or put in messages.
 */
public final class S3ObjectStore implements ObjectStore {

    private final S3Uri root;
    private final String rootPrefix;
    private final S3Client client;
    private final boolean ownsClient;
    private final long partSize;
    private final String endpointText;
    private int listPageSize = 1000;

    /** Opens {@code s3://bucket/prefix} with {@link S3Config#fromEnvironment()}. */
    public static S3ObjectStore forUri(String uri) {
        return forUri(uri, S3Config.fromEnvironment());
    }

    public static S3ObjectStore forUri(String uri, S3Config config) {
        return new S3ObjectStore(S3Uri.parse(uri), config);
    }

    public S3ObjectStore(S3Uri root, S3Config config) {
        this(root, buildClient(config), config.partSize(), true, describeEndpoint(config));
    }

    /** On a caller's client (which the caller closes); {@code partSize} as validated by {@link S3Config}. */
    public S3ObjectStore(S3Uri root, S3Client client, long partSize) {
        this(root, client, partSize, false, "the given S3 client");
    }

    private S3ObjectStore(S3Uri root, S3Client client, long partSize, boolean ownsClient, String endpointText) {
        this.root = Objects.requireNonNull(root, "root");
        this.rootPrefix = root.directoryPrefix();
        this.client = Objects.requireNonNull(client, "client");
        if (partSize < S3Config.MIN_PART_SIZE || partSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("S3 part size out of range: " + partSize);
        }
        this.partSize = partSize;
        this.ownsClient = ownsClient;
        this.endpointText = endpointText;
    }

    /** An S3 client for {@code config}: explicit Apache HttpClient 5 transport, endpoint, region, path style. */
    public static S3Client buildClient(S3Config config) {
        return configure(S3Client.builder(), config).build();
    }

    /**
     * Applies {@code config} to an S3 client builder (for code that builds its own client, e.g. a Beam
     * {@code S3ClientBuilderFactory}): HTTP client, credentials, region, path style, endpoint override and, with
     * an endpoint override, {@link S3CompatibilityInterceptor}.
     */
    public static S3ClientBuilder configure(S3ClientBuilder b, S3Config config) {
        b.httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(120)))
                .credentialsProvider(credentialsProvider(config.credentials()))
                .forcePathStyle(config.pathStyle())
                .region(region(config));
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
            // keep whatever override configuration the caller already set
            b.overrideConfiguration(b.overrideConfiguration().toBuilder()
                    .addExecutionInterceptor(new S3CompatibilityInterceptor()).build());
        }
        return b;
    }

    static AwsCredentialsProvider credentialsProvider(S3Config.Credentials c) {
        if (c instanceof S3Config.Profile p) {
            ProfileCredentialsProvider.Builder b = ProfileCredentialsProvider.builder().profileName(p.name());
            if (p.file() != null) {
                b.profileFile(ProfileFile.builder().content(p.file()).type(ProfileFile.Type.CREDENTIALS).build());
            }
            return b.build();
        }
        if (c instanceof S3Config.Static s) {
            return StaticCredentialsProvider.create(s.sessionToken() == null
                    ? AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey())
                    : AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    static Region region(S3Config config) {
        if (config.region() != null) {
            return Region.of(config.region());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            if (config.endpoint() != null) {
                return Region.US_EAST_1; // S3-compatible stores mostly ignore it, but SigV4 needs one
            }
            throw new IllegalStateException("no AWS region for S3: set AWS_REGION (or DETCON_S3_REGION,"
                    + " -Daws.region, a region in ~/.aws/config)", e);
        }
    }

    private static String describeEndpoint(S3Config config) {
        return config.endpoint() == null ? "AWS S3" : config.endpoint().toString();
    }

    @Override
    public String uri() {
        return root.toString();
    }

    @Override
    public String uri(String key) {
        return S3Uri.SCHEME + root.bucket() + "/" + rootPrefix + key;
    }

    /** The bucket and full object key of {@code key}. */
    public S3Uri s3Uri(String key) {
        return new S3Uri(root.bucket(), objectKey(key));
    }

    private String objectKey(String key) {
        checkKey(key);
        return rootPrefix + key;
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty object key");
        }
        checkRelative(key, false);
    }

    private static void checkRelative(String key, boolean prefix) {
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("object key '" + key + "' must be relative (no leading '/')");
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".") || s.equals("..") || (s.isEmpty() && !(prefix && last))) {
                throw new IllegalArgumentException("object key '" + key
                        + "' has an empty, '.' or '..' path segment");
            }
        }
    }

    @Override
    public InputStream openRead(String key) throws IOException {
        String k = objectKey(key);
        try {
            ResponseInputStream<GetObjectResponse> in =
                    client.getObject(GetObjectRequest.builder().bucket(root.bucket()).key(k).build());
            return in;
        } catch (SdkException e) {
            throw translate("read", uri(key), e);
        }
    }

    @Override
    public AtomicOutputStream create(String key) throws IOException {
        return new S3WriteStream(key, objectKey(key), uri(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty()) {
            checkRelative(prefix, true);
        }
        String full = rootPrefix + prefix;
        List<String> keys = new ArrayList<>();
        try {
            ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(root.bucket()).prefix(full)
                    .maxKeys(listPageSize).build();
            for (S3Object o : client.listObjectsV2Paginator(req).contents()) {
                String k = o.key();
                if (k.endsWith("/")) {
                    continue; // a "folder" marker written by some tools, not an object of ours
                }
                keys.add(k.substring(rootPrefix.length()));
            }
        } catch (SdkException e) {
            throw translate("list", S3Uri.SCHEME + root.bucket() + "/" + full, e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            head(key);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public long size(String key) throws IOException {
        return head(key);
    }

    private long head(String key) throws IOException {
        String k = objectKey(key);
        try {
            return client.headObject(HeadObjectRequest.builder().bucket(root.bucket()).key(k).build())
                    .contentLength();
        } catch (SdkException e) {
            throw translate("stat", uri(key), e);
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        String k = objectKey(key);
        boolean existed = exists(key);
        try {
            client.deleteObject(DeleteObjectRequest.builder().bucket(root.bucket()).key(k).build());
        } catch (SdkException e) {
            IOException t = translate("delete", uri(key), e);
            if (!(t instanceof NoSuchFileException) || e instanceof NoSuchBucketException) {
                throw t;
            }
        }
        return existed;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + root + " via " + endpointText + "]";
    }

    /** An SDK failure as an IOException naming the URI (never credentials); 404s as NoSuchFileException. */
    private IOException translate(String op, String uri, SdkException e) {
        if (e instanceof NoSuchBucketException) {
            NoSuchFileException n = new NoSuchFileException(uri, null, "no such S3 bucket '" + root.bucket()
                    + "' at " + endpointText);
            n.initCause(e);
            return n;
        }
        if (e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404)) {
            NoSuchFileException n = new NoSuchFileException(uri, null, "no such object");
            n.initCause(e);
            return n;
        }
        String detail;
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            detail = "HTTP " + s.statusCode() + (code == null ? "" : " " + code) + ": "
                    + (s.awsErrorDetails() == null ? s.getMessage() : s.awsErrorDetails().errorMessage());
        } else {
            detail = e.getMessage();
        }
        return new IOException("S3 " + op + " of " + uri + " at " + endpointText + " failed: " + detail, e);
    }

    /**
     * Buffers up to one part in memory. On close: a single PUT when everything fit in one part, else the last
     * part and CompleteMultipartUpload. Any failure, or abort(), aborts the multipart upload.
     */
    private final class S3WriteStream extends AtomicOutputStream {
        private final String relativeKey;
        private final String key;
        private final String uri;
        private byte[] buf;
        private int len;
        private String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private boolean closed;
        private boolean published;

        S3WriteStream(String relativeKey, String key, String uri) {
            this.relativeKey = relativeKey;
            this.key = key;
            this.uri = uri;
            this.buf = new byte[(int) Math.min(partSize, 64 << 10)];
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("write to " + uri + " after close or abort");
            }
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (len == buf.length) {
                makeRoom();
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            Objects.checkFromIndexSize(off, n, b.length);
            ensureOpen();
            while (n > 0) {
                if (len == buf.length) {
                    makeRoom();
                }
                int c = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, c);
                len += c;
                off += c;
                n -= c;
            }
        }

        /** Grows the buffer up to one part, or ships a full part. */
        private void makeRoom() throws IOException {
            if (buf.length < partSize) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(partSize, (long) buf.length * 2));
            } else {
                uploadPart();
            }
        }

        private void uploadPart() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = client.createMultipartUpload(CreateMultipartUploadRequest.builder()
                            .bucket(root.bucket()).key(key).build()).uploadId();
                }
                int number = parts.size() + 1;
                UploadPartResponse r = client.uploadPart(UploadPartRequest.builder()
                        .bucket(root.bucket()).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) len).build(), body());
                parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag())
                        .checksumCRC32(r.checksumCRC32()).checksumCRC32C(r.checksumCRC32C())
                        .checksumCRC64NVME(r.checksumCRC64NVME())
                        .checksumSHA1(r.checksumSHA1()).checksumSHA256(r.checksumSHA256()).build());
                len = 0;
            } catch (RuntimeException e) {
                fail(e);
                throw e instanceof SdkException s ? translate("upload", uri, s)
                        : new IOException("S3 upload of " + uri + " failed", e);
            }
        }

        private RequestBody body() {
            byte[] data = buf;
            int n = len;
            // re-readable for SDK retries, no copy of the part
            return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, n), n,
                    "application/octet-stream");
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            try {
                if (uploadId == null) {
                    client.putObject(PutObjectRequest.builder().bucket(root.bucket()).key(key)
                            .contentLength((long) len).build(), body());
                } else {
                    if (len > 0) {
                        uploadPart();
                    }
                    client.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                            .bucket(root.bucket()).key(key).uploadId(uploadId)
                            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
                }
                published = true;
            } catch (RuntimeException e) {
                fail(e);
                throw e instanceof SdkException s ? translate("upload", uri, s)
                        : new IOException("S3 upload of " + uri + " failed", e);
            } finally {
                closed = true;
                buf = null;
            }
        }

        @Override
        public boolean isPublished() {
            return published;
        }

        @Override
        public String key() {
            return relativeKey;
        }

        @Override
        public void abort() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            buf = null;
            if (uploadId != null) {
                String id = uploadId;
                uploadId = null;
                try {
                    client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                            .bucket(root.bucket()).key(key).uploadId(id).build());
                } catch (SdkException e) {
                    throw translate("abort of the multipart upload", uri, e);
                }
            }
        }

        /** After a failed request: nothing may be published; abort what was started, keep the first error. */
        private void fail(Exception cause) {
            try {
                abort();
            } catch (IOException | RuntimeException suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
    }

    /** Keys per LIST request (S3's maximum and default is 1000); smaller only to test paging. */
    S3ObjectStore listPageSize(int n) {
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("list page size " + n);
        }
        this.listPageSize = n;
        return this;
    }

    /** For diagnostics: the endpoint this store talks to ("AWS S3" without an override). */
    public String endpoint() {
        return endpointText;
    }
}
