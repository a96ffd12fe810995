"""Migration history of apps that were split or renamed.

An app's label is written in every database that ran its migrations, so an app that goes away
leaves its history here, under its old label, until every installation has migrated past the
migrations that hand its tables to the apps that took them over. See docs/architecture.md.
"""
