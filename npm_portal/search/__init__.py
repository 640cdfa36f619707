"""The header search across the app (`/search/?q=`): one box over visits, reports,
recommendations, places, authorities, organisations and partner members, showing only what the
user may see (`providers`)."""
