"""Publishing: news posts on the web and in Atom feeds, LINE group deliveries, and the
office's LINE project plan (still-image posts per week, clips per month) with feedback."""
