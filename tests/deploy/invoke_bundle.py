"""Answer stored API Gateway events from an unzipped Lambda bundle alone (run by test_bundle.py).

usage: python -I -S invoke_bundle.py BUNDLE_DIR EVENTS_DIR EVENT.json...

-I -S: no site-packages, no PYTHONPATH, no current directory - the interpreter sees the standard library and
the bundle, nothing of the repository or its virtualenv. Prints one JSON object: each event's status and body,
what the pruned dependencies still do, and every imported module that came from neither place.
"""

from __future__ import annotations

import json
import os
import sys
import sysconfig
from pathlib import Path

bundle, events = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
sys.path.insert(0, str(bundle))


class LambdaContext:
    """The attributes of Lambda's context object that anything might read."""

    function_name = "liaoning-portal-test-api"
    aws_request_id = "bundle-test"
    memory_limit_in_mb = 1024

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def main() -> None:
    from functions.handler import handler

    report: dict = {"handler_file": sys.modules["functions.handler"].__file__, "responses": {}}
    for name in sys.argv[3:]:
        response = handler(json.loads((events / name).read_text(encoding="utf-8")), LambdaContext())
        report["responses"][name] = {"status": response["statusCode"], "body": json.loads(response["body"])}

    # The botocore models and phonenumbers data the bundler kept are the ones the backend needs.
    import boto3
    import phonenumbers

    endpoint = os.environ["PORTAL_AWS_ENDPOINT_URL"]
    boto3.client("s3", endpoint_url=endpoint).head_bucket(Bucket=os.environ["PORTAL_UPLOADS_BUCKET"])
    report["sms_message_id"] = boto3.client("sns", endpoint_url=endpoint).publish(
        PhoneNumber="+8613800138000", Message="bundle test"
    )["MessageId"]
    report["phone_valid"] = phonenumbers.is_valid_number(phonenumbers.parse("13800138000", "CN"))

    allowed = (str(bundle), sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
    report["outside"] = sorted(
        name
        for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None) not in (None, __file__) and not module.__file__.startswith(allowed)
    )
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
