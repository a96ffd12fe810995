from reperes.lib.http import client_ip


def test_client_ip_is_the_direct_peer_by_default(rf, settings):
    settings.BEHIND_TLS_PROXY = False
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.9"


def test_behind_our_proxy_only_its_own_entry_is_trusted(rf, settings):
    settings.BEHIND_TLS_PROXY = True
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_an_ipv6_visitor_counts_as_its_whole_64(rf, settings):
    from reperes.lib.http import client_ip

    settings.BEHIND_TLS_PROXY = False
    first = client_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:2::5"))
    other = client_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9"))
    assert first == other == "2001:db8:1:2::/64"
    assert client_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:3::5")) != first
    assert client_ip(rf.get("/", REMOTE_ADDR="203.0.113.9")) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="::ffff:203.0.113.9")) == "203.0.113.9"
