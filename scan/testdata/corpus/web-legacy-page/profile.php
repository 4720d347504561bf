<?php $domain = getenv('AUTH0_DOMAIN'); ?>
<script src="https://cdn.auth0.com/js/lock/10.24.3/lock.min.js"></script>
<script>
  var lock = new Auth0Lock('demo-web-app', '<?php echo $domain; ?>');
  lock.on('authenticated', function (authResult) {
    lock.getProfile(authResult.idToken, function (error, profile) {});
  });
</script>
