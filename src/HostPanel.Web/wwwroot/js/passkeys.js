// Passkeys on the account pages, as a progressive enhancement. An <hp-passkey> element sits in a
// server-rendered form and stays hidden without JavaScript or without WebAuthn in the browser:
// the password forms work as before. Where passkeys work it shows itself and, when its form is
// sent, asks the server for the options (a POST with the form's anti-forgery token), lets the
// browser create (operation="create") or use (operation="get") a passkey, and sends the form with
// the credential as JSON in the hidden field named by credential-field. When the person cancels or
// the browser refuses, the form goes with the reason in error-field instead, and the server says
// what happened in the person's language. A custom element also works after Blazor's enhanced
// navigation, which patches pages without running their scripts.
const supported = typeof window.PublicKeyCredential === 'function'
    && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function'
    && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';

class PasskeyElement extends HTMLElement {
    connectedCallback() {
        const form = this.closest('form');
        if (!supported || !form || this.form === form) {
            return;
        }

        this.form = form;
        this.hidden = false;
        form.querySelectorAll('[data-passkey-unsupported]').forEach(element => { element.hidden = true; });
        form.addEventListener('submit', event => this.send(event));
    }

    field(attribute) {
        return this.form.elements.namedItem(this.getAttribute(attribute) ?? '');
    }

    async send(event) {
        const credential = this.field('credential-field');
        const name = this.field('name-field');
        // A passkey already there goes as it is; without a name the server answers next to the field.
        if (!credential || credential.value || this.busy || (name && !name.value.trim())) {
            return;
        }

        event.preventDefault();
        this.busy = true;
        try {
            const token = this.form.elements.namedItem('__RequestVerificationToken')?.value ?? '';
            const response = await fetch(this.getAttribute('options'), {
                method: 'POST',
                credentials: 'same-origin',
                body: new URLSearchParams({ __RequestVerificationToken: token }),
            });
            if (!response.ok) {
                throw new Error(`options: ${response.status}`);
            }

            const options = await response.json();
            const passkey = this.getAttribute('operation') === 'create'
                ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
                : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
            credential.value = JSON.stringify(passkey.toJSON());
        } catch (error) {
            const reason = this.field('error-field');
            if (reason) {
                reason.value = error?.name === 'NotAllowedError' || error?.name === 'AbortError' ? 'cancelled' : 'failed';
            }
        }

        this.form.submit();
    }
}

if (!customElements.get('hp-passkey')) {
    customElements.define('hp-passkey', PasskeyElement);
}
