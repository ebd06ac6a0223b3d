"""Uploaded files and reports in S3-compatible object storage (django-storages), checked
against a local moto S3 server on 127.0.0.1, so web processes and workers on different
machines share files. With no bucket configured, files stay on the local disk."""

import os
import socket
import subprocess
import sys

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from participants.models import ImportBatch

from ..participants.factories import StaffFactory

BUCKET = "coprod-files"
KEYS = {"STORAGE_ACCESS_KEY": "testing", "STORAGE_SECRET_KEY": "testing", "STORAGE_REGION": "eu-west-2"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=url, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="eu-west-2")
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass  # moto keeps its buckets for the whole process: a second server of this process sees it
    yield url, client
    server.stop()


@pytest.fixture
def object_storage(settings, s3_server):
    url, client = s3_server
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": url, "access_key": "testing",
                    "secret_key": "testing", "region_name": "eu-west-2", "default_acl": None,
                    "querystring_auth": True, "file_overwrite": False},
    }}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def _settings_with(**variables) -> dict:
    """The storage settings coprod builds from these environment variables (read in a
    fresh interpreter, as a server would start)."""
    script = ("import json; from coprod import settings as s; "
              "print(json.dumps(s.STORAGES['default']))")
    env = {key: value for key, value in os.environ.items() if not key.startswith("STORAGE")}
    result = subprocess.run([sys.executable, "-c", script], env={**env, **variables}, capture_output=True,
                            text=True, timeout=60, check=False)
    return {"returncode": result.returncode, "out": result.stdout, "err": result.stderr}


def test_files_stay_on_local_disk_without_a_bucket():
    result = _settings_with()
    assert result["returncode"] == 0 and "FileSystemStorage" in result["out"]


def test_a_bucket_and_endpoint_switch_to_object_storage():
    result = _settings_with(STORAGE_BUCKET=BUCKET, STORAGE_URL="http://minio:9000", **KEYS)
    assert result["returncode"] == 0, result["err"]
    assert '"storages.backends.s3.S3Storage"' in result["out"]
    assert '"bucket_name": "coprod-files"' in result["out"]
    assert '"endpoint_url": "http://minio:9000"' in result["out"]


def test_an_endpoint_without_a_bucket_stops_start_up_with_a_message():
    result = _settings_with(STORAGE_URL="http://minio:9000")
    assert result["returncode"] != 0 and "name the bucket" in result["err"]


def test_files_saved_by_one_process_are_read_by_another_through_the_bucket(object_storage):
    name = default_storage.save("reports/governance/1/report.pdf", ContentFile(b"%PDF-1.4 the report"))
    # Another machine: a client of its own that only knows the bucket.
    body = object_storage.get_object(Bucket=BUCKET, Key=name)["Body"].read()
    assert body == b"%PDF-1.4 the report"
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"%PDF-1.4 the report"
    default_storage.delete(name)
    assert not default_storage.exists(name)


@pytest.mark.django_db
def test_an_uploaded_spreadsheet_goes_to_the_bucket_and_is_read_back_from_it(client, object_storage):
    client.force_login(StaffFactory())
    client.post(reverse("participants:import_list"), {
        "kind": "partners", "file": SimpleUploadedFile("partners.csv", "Name\nSiân Llŷr\n".encode())})
    batch = ImportBatch.objects.get()
    keys = [item["Key"] for item in object_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [batch.file.name]
    page = client.get(reverse("participants:import_columns", args=[batch.pk])).content.decode()
    assert "Siân Llŷr" in page  # the sample values were read back from the bucket
