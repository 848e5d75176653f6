"""The information center's public profile: its sign, place, hours, officers and appointment
order."""
