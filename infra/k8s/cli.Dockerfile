# The detcon command line (orchestration's detcon-cli.jar: sweeps, the nightly run, training, evaluations) on
# Java 17, with the repository's sweeps/ and configs/ (the nightly CronJob in nightly-cronjob.yaml runs
# /opt/detcon/sweeps/nightly-cpu.yaml against its baseline there). PyTorch's CPU natives are inside the jar.
# Build from the repository root, after `mvn -pl orchestration -am package -DskipTests`:
#   docker build -f infra/k8s/cli.Dockerfile -t detcon/cli:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17.0.13_11-jre-jammy

ARG VERSION=0.1.0-SNAPSHOT
LABEL org.opencontainers.image.version=${VERSION}

COPY orchestration/target/detcon-cli.jar /opt/detcon/detcon-cli.jar
COPY sweeps/ /opt/detcon/sweeps/
COPY configs/ /opt/detcon/configs/
# PyTorch's OpenMP threads would spin while waiting (./detcon sets the same)
ENV OMP_WAIT_POLICY=PASSIVE
WORKDIR /opt/detcon
ENTRYPOINT ["java", "-Ddetcon.home=/opt/detcon", "-jar", "/opt/detcon/detcon-cli.jar"]
