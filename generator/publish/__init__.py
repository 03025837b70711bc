"""After the build and beyond it: checks of the written site, pre-compression, the staging
folder and atomic swap, deploys to a bucket, 公众号 drafts."""
