"""What each property of the container types means (the descriptions editors show on hover and the config
reference lists): the container itself (`CONTAINER_TEXTS`, by definition) and the five types."""

from __future__ import annotations

_PACKAGING = {
    "languageSpecificConfig": "Settings for the entry file's language (Python version and package manager, "
    "Node.js bundling, ...).",
    "requiresGlibcBinaries": "Build on a glibc base image instead of a smaller musl one, for dependencies "
    "with native code.",
    "customDockerBuildCommands": "Extra Dockerfile `RUN` commands added to the generated image.",
    "entryfilePath": "Path of the file the container starts, from the project root.",
    "includeFiles": "Glob patterns of extra files to copy into the image.",
    "excludeFiles": "Glob patterns of files to leave out of the image.",
    "excludeDependencies": "Dependencies not to install in the image.",
    "builder": "The buildpack builder image (default `paketobuildpacks/builder-jammy-base`).",
    "buildpacks": "Buildpacks to use instead of the ones the builder detects.",
    "sourceDirectoryPath": "Folder with the application's source, from the project root.",
    "command": 'Command the container runs, overriding the image\'s (`["python", "app.py"]`).',
    "repositoryCredentialsSecretArn": "ARN of a Secrets Manager secret with `username` and `password` of a "
    "private registry.",
    "entryPoint": "Entry point of the container, overriding the image's.",
    "image": "The image to run (`nginx:1.27`, `123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1`).",
    "dockerfilePath": "Path of the Dockerfile, from `buildContextPath` (default `Dockerfile`).",
    "buildContextPath": "Folder sent to Docker as the build context, from the project root.",
    "buildArgs": "Values for the Dockerfile's `ARG`s.",
    "buildImage": "The image Nixpacks builds in, instead of its default.",
    "providers": "Nixpacks providers to use instead of the detected ones (`python`, `node`).",
    "startCmd": "Command the built image starts with.",
    "startRunImage": "Base image of the final image, instead of Nixpacks' default.",
    "startOnlyIncludeFiles": "Only these files and folders are copied into the final image.",
    "phases": "Nixpacks build phases to add or change (setup, install, build).",
}
_BATCH_ONLY_LACKS = ("repositoryCredentialsSecretArn", "entryPoint")

_HEALTH = {
    "healthcheckPath": "Path the load balancer requests to check an instance (default `/`).",
    "healthcheckInterval": "Seconds between health checks (5 to 300).",
    "healthcheckTimeout": "Seconds a health check may take before it counts as failed (2 to 120).",
    "healthCheckProtocol": "Protocol of the health check (default TCP for a network load balancer).",
    "healthCheckPort": "Port checked (default: the port traffic goes to).",
}

CONTAINER_TEXTS: dict[str, dict[str, str]] = {
    "ContainerPackaging": _PACKAGING,
    "BatchJobPackaging": {k: v for k, v in _PACKAGING.items() if k not in _BATCH_ONLY_LACKS},
    "DockerBuildArg": {"argName": "Name of the build argument.", "value": "Its value."},
    "NixpacksPhase": {
        "name": "Name of the phase (`setup`, `install`, `build`, or a new one).",
        "cmds": "Shell commands the phase runs.",
        "nixPkgs": "Nix packages to install.",
        "nixLibs": "Nix libraries to make available.",
        "nixOverlay": "Nix overlays to apply.",
        "nixpkgsArchive": "The nixpkgs commit to install packages from.",
        "aptPkgs": "Debian packages to install with apt.",
        "cacheDirectories": "Folders kept between builds.",
        "onlyIncludeFiles": "Only these files are available to the phase.",
    },
    "ImageLanguageSpecificConfig": {
        "tsConfigPath": "Path of the tsconfig.json to build with.",
        "emitTsDecoratorMetadata": "Emit TypeScript decorator metadata (for frameworks that need it).",
        "dependenciesToExcludeFromBundle": "Packages left out of the bundle and installed as they are.",
        "outputModuleFormat": "Module format of the bundle: CommonJS or ES modules.",
        "nodeVersion": "Major Node.js version of the image.",
        "disableSourceMaps": "Build no source maps.",
        "outputSourceMapsTo": "Folder to write the source maps to, instead of next to the bundle.",
        "dependenciesToExcludeFromDeploymentPackage": "Packages not installed in the image at all.",
        "packageManagerFile": "The file that lists the dependencies (`pyproject.toml`, `pom.xml`, ...).",
        "packageManager": "Install Python dependencies with this package manager.",
        "uvOptionalDependencies": "Optional dependency groups (extras) uv installs.",
        "uvWithGroups": "Dependency groups uv installs as well.",
        "uvWithoutGroups": "Dependency groups uv leaves out.",
        "uvOnlyGroups": "Install only these dependency groups.",
        "pythonVersion": "Python version of the image (default 3.12).",
        "runAppAs": "Serve the entry file's app object with an ASGI or WSGI server.",
        "minify": "Make the installed Python dependencies smaller (drop tests, caches, docs).",
        "useMaven": "Build with Maven instead of Gradle.",
        "javaVersion": "Java version of the image.",
        "phpVersion": "PHP version of the image.",
        "projectFile": "Path of the .csproj file to build.",
        "dotnetVersion": ".NET version of the image.",
        "rubyVersion": "Ruby version of the image.",
    },
    "ContainerLogging": {
        "disabled": "Keep no logs of the container.",
        "retentionDays": "Days log records are kept in CloudWatch (default 90).",
        "logForwarding": "Also send the log records to a third-party service.",
    },
    "ContainerHealthCheck": {
        "healthCheckCommand": "Command run inside the container; exit code 0 means healthy "
        '(`["CMD-SHELL", "curl -f http://localhost/ || exit 1"]`).',
        "intervalSeconds": "Seconds between checks (5 to 300, default 30).",
        "timeoutSeconds": "Seconds a check may take before it fails (2 to 60, default 5).",
        "retries": "Failed checks in a row before the container is unhealthy (1 to 10, default 3).",
        "startPeriodSeconds": "Seconds after start during which failed checks do not count (0 to 300).",
    },
    "ContainerEfsMount": {
        "efsFilesystemName": "Name of the `efs-filesystem` resource to mount.",
        "rootDirectory": "Folder of the file system to mount (default: its root).",
        "mountPath": "Where the file system appears inside the container.",
    },
    "ContainerDependency": {
        "containerName": "Name of the container this one waits for.",
        "condition": "What it waits for: START (started), COMPLETE (exited), SUCCESS (exited with 0), "
        "HEALTHY (passing its health check).",
    },
    "ContainerResources": {
        "cpu": "Virtual CPUs for the service's task (0.25 to 16); decides which memory sizes Fargate allows.",
        "memory": "Memory in MB for the task; Fargate allows fixed sizes per `cpu` (512 to 122,880).",
        "instanceTypes": "EC2 instance types to run on instead of Fargate (not supported yet).",
        "enableWarmPool": "Keep stopped EC2 instances ready for scaling (EC2 only; not supported yet).",
        "architecture": "Processor architecture (default `x86_64`); images are built for it.",
    },
    "ContainerScaling": {
        "minInstances": "Fewest tasks that run (default 1).",
        "maxInstances": "Most tasks that run; above `minInstances` turns on auto scaling (default: "
        "`minInstances`).",
        "scalingPolicy": "The averages auto scaling keeps tasks under (default: CPU under 80%).",
        "scalingPolicy.keepAvgCpuUtilizationUnder": "Average CPU use, in percent, to keep under.",
        "scalingPolicy.keepAvgMemoryUtilizationUnder": "Average memory use, in percent, to keep under.",
    },
    "ContainerDeployment": {
        "strategy": "How traffic moves to a new version: all at once, a 10% canary first, or 10% steps.",
        "beforeAllowTrafficFunction": "Name of a `function` run to test the new version before it gets "
        "traffic.",
        "afterTrafficShiftFunction": "Name of a `function` run once all traffic has moved.",
        "testListenerPort": "Load balancer port where the new version is reachable for testing first.",
    },
    "WebServiceLoadBalancing": {
        **_HEALTH,
        "ports": "Ports the network load balancer listens on.",
        "ports.port": "Port the load balancer listens on.",
        "ports.protocol": "`TCP`, or `TLS` to end TLS at the load balancer.",
        "ports.containerPort": "Port of the container traffic goes to (default: `port`).",
    },
    "WorkloadContainerEvent": {
        "containerPort": "Port of the container the traffic goes to.",
        "loadBalancerName": "Name of the load balancer resource in this config.",
        "listenerPort": "Port of the load balancer's listener.",
        "priority": "Order among the listener's rules; lower numbers are matched first (1 to 50,000).",
        "paths": "URL paths that match (`/api/*`).",
        "methods": "HTTP methods that match.",
        "hosts": "Host names that match (`api.example.com`).",
        "headers": "Request headers that must match.",
        "headers.headerName": "Name of the header.",
        "headers.values": "Values that match (any of them).",
        "queryParams": "Query parameters that must match.",
        "queryParams.paramName": "Name of the query parameter.",
        "queryParams.values": "Values that match (any of them).",
        "sourceIps": "Client IP ranges that match (CIDR).",
        "httpApiGatewayName": "Name of the `http-api-gateway` resource in this config.",
        "method": "HTTP method of the route (`*` for any).",
        "path": "Path of the route (`/orders/{id}`, `/{proxy+}`).",
        "authorizer": "Who may call the route.",
        "payloadFormat": "Version of the event format sent to the integration.",
        "alias": "Name other services reach this port by (default: the container's name).",
        "protocol": "Protocol spoken on the port.",
    },
}

CONTAINER_TEXTS["BatchJobEvent"] = {
    "scheduleRate": "When to start the job: `rate(1 day)` or `cron(0 3 * * ? *)` (UTC).",
    "input": "A fixed JSON value the execution gets instead of the event.",
    "inputPath": "A JSONPath into the event: only that part is the execution's input (`$.detail`).",
    "inputTransformer": "Builds the execution's input from parts of the event.",
    "inputTransformer.inputPathsMap": "Names → JSONPaths into the event, for `inputTemplate`.",
    "inputTransformer.inputTemplate": "The input, with `<name>` where a value of `inputPathsMap` goes.",
    "eventBusArn": "ARN of the bus the rule listens on.",
    "eventBusName": "Name of the `event-bus` resource of this config the rule listens on.",
    "useDefaultBus": "Listen on the account's default bus.",
    "eventPattern": "Which events start the job: an EventBridge event pattern.",
    "onDeliveryFailure": "A queue for what EventBridge could not deliver (not supported yet).",
    "bucketArn": "ARN of a `bucket` of this config: `$ResourceParam('myBucket', 'arn')`.",
    "s3EventType": "Which object events start the job (`s3:ObjectCreated:*`).",
    "filterRule": "Only objects whose key has this prefix and/or suffix.",
    "filterRule.prefix": "Start of the object key (`uploads/`).",
    "filterRule.suffix": "End of the object key (`.zip`).",
}

_CONTAINER = {
    "name": "Name of the container, unique in the workload.",
    "packaging": "How the container's image is built or which image it runs.",
    "essential": "Stop the whole task when this container stops (default true).",
    "logging": "The container's CloudWatch log group.",
    "dependsOn": "Containers that must reach a state before this one starts.",
    "environment": "Environment variables of the container.",
    "internalHealthCheck": "A command Docker runs to check the container is healthy.",
    "stopTimeout": "Seconds the container gets to stop after SIGTERM before it is killed (2 to 120).",
    "volumeMounts": "EFS file systems to mount (not supported yet).",
}

CONTAINER_TEXTS["SideContainer"] = {
    "containerType": "`always-running`: runs beside the main one; `run-on-init`: runs to completion first.",
    **_CONTAINER,
}
CONTAINER_TEXTS["WorkloadContainer"] = {
    "events": "Traffic the container receives: load balancers, HTTP APIs, other services.",
    "loadBalancerHealthCheck": "How load balancers check the container.",
    **{f"loadBalancerHealthCheck.{k}": v for k, v in _HEALTH.items()},
    **_CONTAINER,
}

_SERVICE = {
    "packaging": "How the container's image is built or which image it runs.",
    "environment": "Environment variables of the container.",
    "logging": "The container's CloudWatch log group.",
    "resources": "CPU and memory of each task.",
    "scaling": "How many tasks run, and when to add more.",
    "internalHealthCheck": "A command Docker runs to check the container is healthy.",
    "stopTimeout": "Seconds the container gets to stop after SIGTERM before it is killed (2 to 120).",
    "enableRemoteSessions": "Allow shell sessions into running containers (not supported yet).",
    "volumeMounts": "EFS file systems to mount (not supported yet).",
    "sideContainers": "More containers in the same task (sidecars, or a step run before the main one).",
    "usePrivateSubnetsWithNAT": "Run in private subnets behind a NAT gateway (not supported yet).",
    "connectTo": "Names of resources in this config the service may use: it gets their `STP_*` variables "
    "and IAM permissions.",
    "iamRoleStatements": "Extra IAM statements for the role the containers run as.",
}
_ALARMS = {
    "alarms": "CloudWatch alarms on the service's metrics (not supported yet).",
    "disabledGlobalAlarms": "Names of project-wide alarms that do not apply to this service.",
}

TYPE_TEXTS: dict[str, dict[str, str]] = {
    "web-service": {
        "cors": "CORS settings, for browsers on other origins.",
        "customDomains": "Domain names the service answers on.",
        "loadBalancing": "What takes the traffic: an HTTP API Gateway (default) or an application load "
        "balancer.",
        "cdn": "A CloudFront distribution in front of the service (not supported yet).",
        **_ALARMS,
        "deployment": "Gradual traffic shifting between versions (not supported yet).",
        "useFirewall": "Name of a `web-app-firewall` resource that guards the service (not supported yet).",
        **_SERVICE,
    },
    "worker-service": _SERVICE,
    "private-service": {
        "port": "Port the container listens on (default 3000).",
        "protocol": "Protocol spoken on the port (default `http`).",
        "loadBalancing": "How other services reach it: Service Connect (default), or an internal load "
        "balancer (not supported yet).",
        "loadBalancing.type": "`service-connect` or `application-load-balancer`.",
        **_SERVICE,
    },
    "multi-container-workload": {
        "containers": "The containers of the workload, all in one task.",
        "resources": "CPU and memory of each task, shared by its containers.",
        "scaling": "How many tasks run, and when to add more.",
        "deployment": "Gradual traffic shifting between versions (not supported yet).",
        "enableRemoteSessions": "Allow shell sessions into running containers (not supported yet).",
        "usePrivateSubnetsWithNAT": "Run in private subnets behind a NAT gateway (not supported yet).",
        "connectTo": _SERVICE["connectTo"],
        "iamRoleStatements": _SERVICE["iamRoleStatements"],
    },
    "batch-job": {
        "container": "The job's container.",
        "container.packaging": "How the job's image is built or which image it runs.",
        "container.environment": "Environment variables of the job's container.",
        "resources": "What each run of the job gets.",
        "resources.cpu": "Virtual CPUs (Fargate: 0.25, 0.5, 1, 2, 4, 8 or 16; EC2: whole ones).",
        "resources.memory": "Memory in MiB; a size Fargate has for `cpu` runs on Fargate, any other on EC2.",
        "resources.gpu": "GPUs (whole ones): the job runs on EC2 instances of the g4dn, g5 or g6 families.",
        "timeout": "Seconds a run may take before it is stopped (at least 60).",
        "useSpotInstances": "Run on spot capacity (Fargate Spot or EC2 Spot): cheaper, but interruptible.",
        "logging": "The job's CloudWatch log group.",
        "retryConfig": "What happens when a run fails.",
        "retryConfig.attempts": "Retries after a failed run before the job counts as failed (default 0).",
        "retryConfig.retryIntervalSeconds": "Seconds before the first retry.",
        "retryConfig.retryIntervalMultiplier": "Factor the wait grows by with each retry.",
        "events": "What starts the job: `schedule`, `event-bus` or `s3` events.",
        "connectTo": "Names of resources in this config the job may use.",
        "iamRoleStatements": "Extra IAM statements for the role the job runs as.",
    },
}
