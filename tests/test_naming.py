from __future__ import annotations

import hashlib

from stackwright.naming import LIMITS, NameRequest, default_name, fit, logical_id, pascal_case, physical_name


def test_pascal_case_keeps_inner_capitals_and_drops_separators() -> None:
    assert pascal_case("myApi") == "MyApi"
    assert pascal_case("my-api_fn") == "MyApiFn"
    assert pascal_case("api") == "Api"


def test_logical_ids_follow_stacktape() -> None:
    assert logical_id("api", "Function") == "ApiFunction"
    assert logical_id("api", "Role") == "ApiRole"
    assert logical_id("api", "LogGroup") == "ApiLogGroup"
    assert logical_id("worker", "Event0EventSourceMapping") == "WorkerEvent0EventSourceMapping"


def test_stack_and_physical_names() -> None:
    assert default_name(NameRequest(kind="stack", project="shop", stage="dev")) == "shop-dev"
    assert physical_name("shop-dev", "api", service="lambda") == "shop-dev-api"
    assert (
        physical_name("shop-dev", "api", service="iam-role", region="eu-west-1") == "shop-dev-api-eu-west-1"
    )


def test_long_names_are_cut_to_the_limit_with_a_hash_of_the_full_name() -> None:
    stack = "a-very-long-project-name-for-testing-limits-prod"
    name = physical_name(stack, "someQuiteLongFunctionName", service="lambda")
    full = f"{stack}-someQuiteLongFunctionName"
    assert len(full) > 64
    assert len(name) == LIMITS["lambda"][0]
    assert name.endswith("-" + hashlib.shake_256(full.encode()).hexdigest(3))
    assert name.startswith(full[:57])
    other = physical_name(stack, "someQuiteLongFunctionNameB", service="lambda")
    assert other != name and len(other) == 64


def test_fit_leaves_short_names_alone() -> None:
    assert fit("short", 10) == "short"
    assert len(fit("x" * 100, 32)) == 32


def test_s3_names_are_lower_case_and_within_63() -> None:
    name = physical_name("Shop-DEV", "Assets_Bucket", service="s3")
    assert name == name.lower() and "_" not in name
    long_name = physical_name("shop-" + "x" * 80, "assets", service="s3")
    assert len(long_name) == 63


def test_load_balancing_names_take_letters_digits_and_hyphens_and_never_begin_with_internal() -> None:
    import re

    assert physical_name("shop-dev", "web_lb", service="load-balancer") == "shop-dev-web-lb"
    assert physical_name("shop-dev", "my_orders", "lb", service="target-group") == "shop-dev-my-orders-lb"
    assert physical_name("internal-tools-dev", "web", service="load-balancer") == "lb-internal-tools-dev-web"
    assert physical_name("internal-tools-dev", "web", service="target-group") == "internal-tools-dev-web"
    long_name = physical_name("a_very_long_project-name-dev", "someBalancer_x", service="load-balancer")
    assert len(long_name) == 32 and re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?", long_name)


def test_deployment_bucket_name_depends_on_account_and_region() -> None:
    base = dict(
        kind="physical",
        project="shop",
        stage="dev",
        resource="deployment-bucket",
        service="s3",
        stack_name="shop-dev",
    )
    one = default_name(NameRequest(**base, region="us-east-1", account="111111111111"))  # type: ignore[arg-type]
    two = default_name(NameRequest(**base, region="us-east-1", account="222222222222"))  # type: ignore[arg-type]
    assert one != two and one.startswith("shop-dev-deploy-") and len(one) <= 63


def test_long_role_names_keep_the_region_and_long_logical_ids_stay_valid() -> None:
    name = physical_name(
        "payments-platform-production",
        "invoiceReconciliationWorker",
        service="iam-role",
        region="eu-central-1",
    )
    assert len(name) == 64 and name.endswith("-eu-central-1") and "--" not in name
    long_id = logical_id("x" * 300, "Function")
    assert len(long_id) == 255 and long_id.isalnum()
    assert logical_id("x" * 300, "Role") != long_id


def test_nearest_region_of_those_a_service_offers() -> None:
    from stackwright import nearest_region

    offered = ("us-east-1", "eu-west-1", "eu-central-1", "ap-south-1")
    assert nearest_region("eu-central-1", offered) == "eu-central-1"
    assert nearest_region("eu-south-2", offered) == "eu-west-1"  # first on the same continent
    assert nearest_region("sa-east-1", offered) == "us-east-1"  # none there: the default
    assert nearest_region("me-south-1", offered, default="eu-west-1") == "eu-west-1"
