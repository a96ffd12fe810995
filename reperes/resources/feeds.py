"""The network's HR news as an Atom feed (Django's syndication framework). Feed readers cannot
log in, so the feed is public and lists only the live news its staff marked public; each entry
leads to the item's public page."""

from datetime import datetime, time

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from reperes.lib.markdown import render_markdown
from reperes.organisations.models import Network
from reperes.resources.models import Resource

FEED_SIZE = 30


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise Http404("Réseau introuvable")
        return network

    def title(self, network):
        return f"Actualités RH · {network.name}"

    def subtitle(self, network):
        return f"Les actualités sur la gestion des ressources humaines publiées par {network.name}."

    def link(self, network):
        return reverse("resources:feed", args=[network.slug])

    def feed_url(self, network):
        return reverse("resources:feed", args=[network.slug])

    def items(self, network):
        return (
            Resource.objects.public_news(network)
            .select_related("network")
            .order_by("-published_on", "-pk")[:FEED_SIZE]
        )

    def item_title(self, resource):
        return resource.title

    def item_description(self, resource):
        return str(render_markdown(resource.summary))

    def item_link(self, resource):
        return reverse("resources:public_news", args=[resource.network.slug, resource.pk])

    def item_guid(self, resource):
        return self.item_link(resource)

    def item_author_name(self, resource):
        return resource.author_name or None

    def item_pubdate(self, resource):
        return timezone.make_aware(datetime.combine(resource.published_on, time(9)))

    def item_updateddate(self, resource):
        return resource.updated_at


news_feed = login_not_required(NewsFeed())
