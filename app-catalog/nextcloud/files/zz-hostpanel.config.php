<?php
/*
 * Settings HostPanel owns. This file is copied into config/ by the image at first install and
 * refreshed after each upgrade; it reads the container's environment on every request, so a new
 * address or a new mail profile applies as soon as the containers are recreated.
 * The "zz-" prefix makes Nextcloud read it after the image's own *.config.php files.
 */
$CONFIG = (static function (): array {
	$config = [];

	// The address can change after install; the image only writes trusted_domains once.
	$domains = array_values(array_filter(explode(' ', (string) getenv('NEXTCLOUD_TRUSTED_DOMAINS'))));
	if ($domains !== []) {
		$config['trusted_domains'] = $domains;
	}

	// The panel gives a full sender address and a security mode (tls, starttls or none);
	// Nextcloud wants the address in two parts and 'ssl' for implicit TLS ('' = STARTTLS when offered).
	$host = (string) getenv('SMTP_HOST');
	$from = (string) getenv('HOSTPANEL_MAIL_FROM');
	$at = strrpos($from, '@');
	if ($host !== '' && $at !== false) {
		$user = (string) getenv('SMTP_NAME');
		$config += [
			'mail_smtpmode' => 'smtp',
			'mail_smtphost' => $host,
			'mail_smtpport' => (int) (getenv('SMTP_PORT') ?: 587),
			'mail_smtpsecure' => getenv('HOSTPANEL_SMTP_SECURITY') === 'tls' ? 'ssl' : '',
			'mail_smtpauth' => $user !== '',
			'mail_smtpname' => $user,
			'mail_smtppassword' => (string) getenv('SMTP_PASSWORD'),
			'mail_from_address' => substr($from, 0, $at),
			'mail_domain' => substr($from, $at + 1),
		];
	}

	return $config;
})();
