# The mask pipeline's job jar on the official Flink image, for the Flink Kubernetes Operator (application mode: the
# FlinkDeployment in flink-masks-application.yaml runs local:///opt/flink/usrlib/detcon-masks-job.jar).
# Build from the repository root, after `mvn -pl beam-segmentation -am package -Pjob-jar -DskipTests`:
#   docker build -f infra/k8s/masks.Dockerfile -t detcon/masks:0.1.0-SNAPSHOT .
FROM flink:1.19.3-java17

ARG VERSION=0.1.0-SNAPSHOT

# the job jar (MaskJob is its main class): this module, core, Beam with its Flink runner; not Flink itself
COPY beam-segmentation/target/detcon-beam-segmentation-${VERSION}-job.jar /opt/flink/usrlib/detcon-masks-job.jar
# Flink's Prometheus reporter as a plugin (metrics.reporter.prom.* in the FlinkDeployment's flinkConfiguration)
COPY beam-segmentation/target/flink-plugins/ /opt/flink/plugins/
