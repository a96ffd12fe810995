from reperes.lib.http import client_ip


def test_client_ip_is_the_direct_peer_by_default(rf, settings):
    settings.BEHIND_TLS_PROXY = False
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.9"


def test_behind_our_proxy_only_its_own_entry_is_trusted(rf, settings):
    settings.BEHIND_TLS_PROXY = True
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"
